package ui

import (
	"strings"
	"testing"

	"finwait/lessons"
)

// The settings form, switched to Chinese with L, words the range and the
// refusal of an invalid value in Chinese.
func TestSettingsFormChinese(t *testing.T) {
	m := open(t, "close", 120, 40)
	press(m, "L", "s", "down", "enter")
	for range 6 {
		press(m, "backspace")
	}
	typeText(m, "99s")
	press(m, "enter")
	s := screen(m)
	zh := lessons.Messages("zh")
	for _, want := range []string{zh.T("ui.settings.title"), "0s 到 10s", "on 或 off", "✗ " + zh.T("ui.settings.invalid", "value", "99s", "allowed", "0s 到 10s")} {
		if !strings.Contains(s, want) {
			t.Errorf("settings form in Chinese lacks %q:\n%s", want, s)
		}
	}
	for _, w := range []string{" to ", " or ", "is refused"} {
		if strings.Contains(s, w) {
			t.Errorf("settings form in Chinese has English %q:\n%s", w, s)
		}
	}
}
