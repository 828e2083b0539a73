package ui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"finwait/lessons"
	"finwait/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/tui")

// open starts a model on a built-in scenario at a size.
func open(t testing.TB, name string, w, h int) *Model {
	t.Helper()
	sc, err := lessons.BuiltinScenario(name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := newModel(sc, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// press sends keys by their names as tea.KeyPressMsg.String() spells them.
func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "ctrl+c", "ctrl+r", "ctrl+n":
		return tea.KeyPressMsg{Code: rune(k[5]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	msg := tea.KeyPressMsg{Code: r, Text: k}
	if r >= 'A' && r <= 'Z' {
		msg.ShiftedCode = r
		msg.Code = r - 'A' + 'a'
		msg.Mod = tea.ModShift
	}
	return msg
}

// typeText presses one key per character.
func typeText(m *Model, s string) {
	for _, r := range s {
		press(m, string(r))
	}
}

// frames plays d of wall time as animation frames, as the tick chain
// would, following the chain only while the model asks for it.
func frames(m *Model, d time.Duration) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for el := time.Duration(0); el <= d; el += frame {
		if !m.clock.playing && m.clock.skip == nil {
			return
		}
		m.Update(tickMsg{gen: m.clock.gen, at: at.Add(el)})
	}
}

// screen is the view without colours, trailing spaces trimmed.
func screen(m *Model) string {
	lines := strings.Split(ansi.Strip(m.render()), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

func golden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", "tui", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -run %s -update)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; got:\n%s", path, got)
	}
}

var sizes = [][2]int{{80, 24}, {120, 40}}

// eachSize runs setup at both golden sizes and compares the screens.
func eachSize(t *testing.T, name, scenario string, setup func(t *testing.T, m *Model)) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := open(t, scenario, sz[0], sz[1])
			setup(t, m)
			golden(t, fmt.Sprintf("%s-%dx%d", name, sz[0], sz[1]), screen(m))
		})
	}
}

func TestGoldenCloseStart(t *testing.T) {
	eachSize(t, "close-start", "close", func(t *testing.T, m *Model) {})
}

// The middle of lost-final-ack: the server's FIN has been resent and is
// half-way across the link.
func TestGoldenLostFinalAckResend(t *testing.T) {
	eachSize(t, "lost-final-ack-resend", "lost-final-ack", func(t *testing.T, m *Model) {
		for range 40 {
			if resentFIN(m.sim()) != nil {
				break
			}
			press(m, "l")
		}
		f := resentFIN(m.sim())
		if f == nil {
			t.Fatal("the server never resent its FIN")
		}
		m.sim().AdvanceTo(f.SentAt + (f.ArriveAt-f.SentAt)/2)
		s := screen(m)
		for _, want := range []string{"TIME-WAIT", "LAST-ACK", fmt.Sprintf("#%d FIN,ACK", f.Seg.ID), "✗ #4 lost"} {
			if !strings.Contains(s, want) {
				t.Errorf("screen lacks %q", want)
			}
		}
	})
}

func resentFIN(s *model.Sim) *model.Flight {
	for _, f := range s.Flights() {
		if f.Seg.From == model.Server && f.Seg.Flags.Has(model.FIN) && f.Seg.Retrans > 0 {
			return &f
		}
	}
	return nil
}

// keepalive-dead after skipping the two idle hours: the first probe.
func TestGoldenKeepaliveSkip(t *testing.T) {
	eachSize(t, "keepalive-dead-skip", "keepalive-dead", func(t *testing.T, m *Model) {
		press(m, "l")
		press(m, "n")
		if m.clock.skip == nil {
			t.Fatal("n did not start a skip")
		}
		frames(m, skipWall/2)
		mid := m.sim().Now()
		if mid <= 0 || mid >= 7200*time.Second {
			t.Errorf("half-way through the skip the clock is at %v", mid)
		}
		frames(m, skipWall+2*frame)
		if m.clock.skip != nil || m.sim().Now() != 7200*time.Second {
			t.Fatalf("skip did not land on the probe: now %v", m.sim().Now())
		}
		if !strings.Contains(screen(m), "keepalive") {
			t.Error("no keepalive on screen")
		}
	})
}

func TestGoldenPortView(t *testing.T) {
	eachSize(t, "port-view", "port-exhaustion", func(t *testing.T, m *Model) {
		m.sim().AdvanceTo(40 * time.Second)
		press(m, "t")
		m.sim().AdvanceTo(70 * time.Second)
		if p := m.sim().Params(); p.TWReuse != 1 {
			t.Errorf("t left tw_reuse at %d", p.TWReuse)
		}
	})
}

func TestGoldenSettingsInvalid(t *testing.T) {
	eachSize(t, "settings-invalid", "close", func(t *testing.T, m *Model) {
		press(m, "s", "down", "enter")
		for range 6 {
			press(m, "backspace")
		}
		typeText(m, "99s")
		press(m, "enter")
		s := screen(m)
		if !strings.Contains(s, "✗ 99s is refused") {
			t.Errorf("no inline refusal:\n%s", s)
		}
	})
}

func TestGoldenHelp(t *testing.T) {
	eachSize(t, "help", "close", func(t *testing.T, m *Model) { press(m, "?") })
}

func TestGoldenTooSmall(t *testing.T) {
	m := open(t, "close", 60, 15)
	golden(t, "too-small-60x15", screen(m))
}

func TestGoldenChinese(t *testing.T) {
	eachSize(t, "chinese", "close", func(t *testing.T, m *Model) {
		press(m, "L", "l", "l", "l")
	})
}

// Ticks run only while something moves: pausing ends the chain, and a tick
// of an older generation is ignored.
func TestTicksOnlyWhileMoving(t *testing.T) {
	m := open(t, "close", 80, 24)
	_, cmd := m.Update(keyMsg("space"))
	if cmd == nil || !m.clock.playing {
		t.Fatal("play started no tick")
	}
	old := m.clock.gen
	at := time.Now()
	if _, cmd = m.Update(tickMsg{gen: old, at: at}); cmd == nil {
		t.Fatal("a frame while playing asked for no next frame")
	}
	press(m, "space")
	if m.clock.playing {
		t.Fatal("space did not pause")
	}
	if _, cmd = m.Update(tickMsg{gen: old, at: at.Add(frame)}); cmd != nil {
		t.Error("a paused model keeps ticking")
	}
	now := m.sim().Now()
	press(m, "space", "space") // resume and pause again: a new generation
	if _, cmd = m.Update(tickMsg{gen: old, at: at.Add(2 * frame)}); cmd != nil || m.sim().Now() != now {
		t.Error("a tick of an old generation moved the clock or chained")
	}
}

func TestNoTerminal(t *testing.T) {
	var out, errb strings.Builder
	if code := RunTUI(TUIOptions{}, &out, &errb); code != 1 {
		t.Errorf("exit code %d without a terminal, want 1", code)
	}
	if s := errb.String(); !strings.Contains(s, "finwait trace") || strings.Count(s, "\n") != 1 {
		t.Errorf("want one line suggesting finwait trace, got %q", s)
	}
}

// Every key in the help view comes from the key map, in both languages.
func TestHelpListsEveryBinding(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m := open(t, "close", 200, 60)
		m.setLang(lang)
		press(m, "?")
		s := screen(m)
		for _, g := range m.helpGroups() {
			for _, b := range g.keys {
				if !strings.Contains(s, b.Help().Key) || !strings.Contains(s, b.Help().Desc) {
					t.Errorf("%s help lacks %q %q", lang, b.Help().Key, b.Help().Desc)
				}
				if strings.HasPrefix(b.Help().Desc, "ui.") {
					t.Errorf("%s: missing catalogue text %s", lang, b.Help().Desc)
				}
			}
		}
	}
}
