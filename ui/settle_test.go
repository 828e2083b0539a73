package ui

import (
	"reflect"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// runCmds runs a command tree as the program would and returns the first
// message that is not an animation tick (nil if none comes within 20 s).
func runCmds(cmd tea.Cmd) tea.Msg {
	msgs := cmdMsgs(cmd, 20*time.Second)
	if len(msgs) == 0 {
		return nil
	}
	return msgs[0]
}

// cmdMsgs runs every command of a tree (batches and sequences unfolded)
// at once, and collects what they return, but the animation and class
// view ticks, which only ask for the next frame.
func cmdMsgs(cmd tea.Cmd, wait time.Duration) []tea.Msg {
	out := make(chan tea.Msg, 64)
	var run func(c tea.Cmd) int
	n := 0
	run = func(c tea.Cmd) int {
		if c == nil {
			return 0
		}
		go func() { out <- c() }()
		return 1
	}
	n += run(cmd)
	var msgs []tea.Msg
	deadline := time.After(wait)
	for n > 0 {
		select {
		case msg := <-out:
			n--
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
				for i := range v.Len() {
					n += run(v.Index(i).Interface().(tea.Cmd))
				}
				continue
			}
			switch msg.(type) {
			case nil, tickMsg, classTickMsg:
				continue
			}
			msgs = append(msgs, msg)
		case <-deadline:
			return msgs
		}
	}
	return msgs
}

// settle feeds the results of cmd (saves, exports) back to the model, and
// the results of what they return, until nothing but ticks is left.
func settle(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	for range 20 {
		msgs := cmdMsgs(cmd, 5*time.Second)
		if len(msgs) == 0 {
			return
		}
		var next []tea.Cmd
		for _, msg := range msgs {
			if _, ok := msg.(tea.QuitMsg); ok {
				continue
			}
			_, c := m.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	t.Fatal("commands kept coming")
}

// pressSettle sends keys and carries out what they start (saves, exports),
// as the program would between key presses.
func pressSettle(t testing.TB, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		settle(t, m, cmd)
	}
}
