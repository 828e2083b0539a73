package ui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"finwait/model"
)

var monkeyKeys = []string{"space", "right", "left", "l", "h", "home", "g", "+", "-", "n", "tab", "shift+tab",
	"x", "d", "u", "X", "c", "S", "C", "w", "D", "A", "k", "K", "r", "s", "o", "L", "?", "pgup", "]", "t",
	"up", "down", "enter", "esc", "backspace", "ctrl+r", "ctrl+n", "1", "0", "m", "s", "q", "a", "j", "%",
	"[", "]", "R", "p", "2", "3", "9", "m", "down", "enter", "P"}

// TestMonkey presses thousands of random keys, resizes and animation
// frames into the model: nothing panics, every screen has the terminal's
// size, and the engine's invariants hold.
func TestMonkey(t *testing.T) {
	for _, scn := range []string{"close", "lost-final-ack", "keepalive-dead", "simultaneous-close", "port-exhaustion", "lesson 1", "lesson 5", "lesson 9"} {
		t.Run(scn, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, uint64(len(scn))))
			var m *Model
			if n, ok := strings.CutPrefix(scn, "lesson "); ok {
				m = lessonModel(t, int(n[0]-'0'), "en", 80, 24)
			} else {
				m = open(t, scn, 80, 24)
			}
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			n := 3000
			if scn == "port-exhaustion" {
				n = 400
			}
			for i := range n {
				switch x := r.IntN(20); {
				case x == 0:
					m.Update(tea.WindowSizeMsg{Width: 20 + r.IntN(200), Height: 5 + r.IntN(60)})
				case m.top() != nil && x < 6:
					m.Update(keyMsg("esc")) // leave forms now and then
				case x < 4:
					at = at.Add(frame)
					m.Update(tickMsg{gen: m.clock.gen, at: at})
				default:
					k := monkeyKeys[r.IntN(len(monkeyKeys))]
					lesson := strings.HasPrefix(scn, "lesson")
					if k == "q" || (k == "o" && (scn == "port-exhaustion" || lesson)) || (k == "m" && !lesson) {
						continue // quitting or leaving the scenario (or the lessons) ends the walk early
					}
					m.Update(keyMsg(k))
				}
				if i%50 == 0 {
					checkScreen(t, m)
					checkEngine(t, m.sim())
				}
			}
			checkScreen(t, m)
			checkEngine(t, m.sim())
			if l := m.run.Lesson(); l != nil {
				i := m.run.StepIndex()
				if i < 0 || i >= len(l.Steps) || m.run.Asking() && m.run.Answer() >= 0 {
					t.Fatalf("lesson state out of order: step %d of %d, asking %v, answer %d", i, len(l.Steps), m.run.Asking(), m.run.Answer())
				}
				t.Logf("%s: ended in lesson %d step %d", scn, l.Number(), i+1)
			}
			t.Logf("%s: step %d, t=%v, %d trace events, top %T", scn, m.sim().Pos(), m.sim().Now(), len(m.sim().Trace()), m.top())
		})
	}
}

func checkScreen(t *testing.T, m *Model) {
	t.Helper()
	s := m.render()
	if m.w < minWidth || m.h < minHeight {
		return
	}
	lines := strings.Split(s, "\n")
	if len(lines) != m.h {
		t.Fatalf("%dx%d screen has %d lines (top %T)", m.w, m.h, len(lines), m.top())
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.w {
			t.Fatalf("%dx%d screen line %d is %d wide: %q", m.w, m.h, i, w, ansi.Strip(l))
		}
	}
}

func checkEngine(t *testing.T, s *model.Sim) {
	t.Helper()
	tr := s.Trace()
	for i := range tr {
		e := &tr[i]
		if e.Kind == model.EvState && !model.Allows(e.From, e.To) {
			t.Fatalf("transition %s → %s is not in the table", e.From, e.To)
		}
		if i > 0 && e.T < tr[i-1].T {
			t.Fatalf("trace goes back in time at %d", i)
		}
	}
	for _, side := range []model.Side{model.Client, model.Server} {
		if ep, ok := s.Endpoint(side); ok && int32(ep.SndNxt-ep.SndUna) < 0 {
			t.Fatalf("%s SND.UNA %d beyond SND.NXT %d", side, ep.SndUna, ep.SndNxt)
		}
	}
	// Rewinding one step and stepping again gives the same trace.
	if p := s.Pos(); p > 0 {
		n := len(tr)
		last := tr[n-1]
		s.Rewind(p - 1)
		s.Rewind(p)
		if s.Pos() != p || len(s.Trace()) != n || s.Trace()[n-1] != last {
			t.Fatalf("rewind to %d and forward again is not exact", p-1)
		}
	}
}
