package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"finwait/model"
)

var presentSizes = [][2]int{{80, 24}, {200, 60}}

// serverFINInFlight steps the close scenario until the server's FIN is on
// the link and moves the clock to the middle of its flight.
func serverFINInFlight(t *testing.T, m *Model) model.Flight {
	t.Helper()
	for range 20 {
		for _, f := range m.sim().Flights() {
			if f.Seg.From == model.Server && f.Seg.Flags.Has(model.FIN) {
				m.sim().AdvanceTo(f.SentAt + (f.ArriveAt-f.SentAt)/2)
				return f
			}
		}
		press(m, "l")
	}
	t.Fatal("the server never sent its FIN")
	return model.Flight{}
}

// The close scenario in presenter mode with the server's FIN half-way
// across: both states in big letters, the segment drawn big, no hints.
func TestGoldenPresentClose(t *testing.T) {
	for _, sz := range presentSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := open(t, "close", sz[0], sz[1])
			press(m, "P")
			f := serverFINInFlight(t, m)
			m.msg = "" // the confirmation of P is not part of the picture
			s := screen(m)
			golden(t, fmt.Sprintf("present-close-%dx%d", sz[0], sz[1]), s)
			checkPresentScreen(t, m, s)
			client, server := "F I N - W A I T - 2", "L A S T - A C K"
			if sz[0] >= 200 {
				// The pixel font at scale 2: the rows of the state names.
				client, server = bigText("FIN-WAIT-2", 2)[0], bigText("LAST-ACK", 2)[0]
				if !strings.Contains(s, bigText("FIN ACK", 1)[1]) {
					t.Error("the FIN in flight is not in big letters")
				}
			}
			for _, want := range []string{client, server, fmt.Sprintf("#%d  seq %d  ack %d", f.Seg.ID, f.Seg.Seq, f.Seg.Ack)} {
				if !strings.Contains(s, want) {
					t.Errorf("presenter screen lacks %q", want)
				}
			}
		})
	}
}

// Lesson 1, step 2 in presenter mode: the question answered and the step
// played; the lesson text fills the lower part.
func TestGoldenPresentLesson(t *testing.T) {
	for _, sz := range presentSizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := lessonModel(t, 1, "en", sz[0], sz[1])
			press(m, "P", "]", "1")
			playOut(t, m)
			m.msg = ""
			s := screen(m)
			golden(t, fmt.Sprintf("present-lesson-%dx%d", sz[0], sz[1]), s)
			checkPresentScreen(t, m, s)
			for _, want := range []string{"step 2/9", "What does the client do?", "Right: It sends a FIN"} {
				if !strings.Contains(s, want) {
					t.Errorf("presenter lesson screen lacks %q", want)
				}
			}
		})
	}
}

// checkPresentScreen: no hint line, no title, the status shows the time.
func checkPresentScreen(t *testing.T, m *Model, s string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(last, "t = "+secs(m.sim().Now())+" s") {
		t.Errorf("the last line is not the presenter status: %q", last)
	}
	for _, chrome := range []string{"? help", "q quit", "finwait ·", "×0.02", "linux"} {
		if strings.Contains(s, chrome) {
			t.Errorf("presenter screen shows chrome %q", chrome)
		}
	}
}

// P switches presenter mode on and off; off again, the screen is the
// ordinary one, hints included.
func TestPresentToggle(t *testing.T) {
	m := open(t, "close", 100, 30)
	press(m, "l", "l")
	before := screen(m)
	if !strings.Contains(before, "? help") {
		t.Fatal("the ordinary screen has no hint line")
	}
	press(m, "P")
	if !m.present {
		t.Fatal("P did not switch presenter mode on")
	}
	on := screen(m)
	if on == before || strings.Contains(on, "? help") || !strings.Contains(on, "Presenter mode") {
		t.Errorf("presenter screen keeps the hints or does not say how to leave:\n%s", on)
	}
	press(m, "P")
	if m.present {
		t.Fatal("P did not switch presenter mode off")
	}
	m.msg = ""
	if after := screen(m); after != before {
		t.Errorf("after P P the screen differs from before:\n%s", after)
	}
}

// Every key keeps working in presenter mode: select a segment and drop
// it, step, rewind, open help and come back.
func TestPresentKeysWork(t *testing.T) {
	m := open(t, "close", 80, 24)
	press(m, "P", "l", "l", "l")
	fl := m.sim().Flights()
	if len(fl) == 0 {
		t.Fatal("nothing in flight after three steps")
	}
	press(m, "tab", "x")
	s := screen(m)
	if !strings.Contains(s, fmt.Sprintf("Segment #%d dropped", fl[0].Seg.ID)) {
		t.Errorf("the drop is not confirmed on the presenter screen:\n%s", s)
	}
	press(m, "?")
	if _, ok := m.top().(*helpPane); !ok || !strings.Contains(screen(m), "presenter mode") {
		t.Errorf("? in presenter mode does not list P:\n%s", screen(m))
	}
	press(m, "esc")
	pos := m.sim().Pos()
	press(m, "h")
	if m.sim().Pos() != pos-1 || !m.present {
		t.Errorf("h in presenter mode: pos %d → %d, present %v", pos, m.sim().Pos(), m.present)
	}
	press(m, "X")
	if s := screen(m); !strings.Contains(s, "Drop the next segment from:") {
		t.Errorf("X in presenter mode does not ask for the side:\n%s", s)
	}
}

// The render invariant in presenter mode: exactly h lines of exactly w
// cells, at many sizes, in a bare run, a lesson and a host run.
func TestPresentFitsEverySize(t *testing.T) {
	sizes := [][2]int{{72, 20}, {80, 24}, {81, 25}, {90, 30}, {101, 33}, {102, 34}, {120, 40}, {137, 45}, {160, 50}, {200, 60}, {260, 80}}
	setups := map[string]func(t *testing.T, w, h int) *Model{
		"close": func(t *testing.T, w, h int) *Model {
			m := open(t, "close", w, h)
			press(m, "P")
			serverFINInFlight(t, m)
			press(m, "tab")
			return m
		},
		"lesson": func(t *testing.T, w, h int) *Model {
			m := lessonModel(t, 1, "zh", w, h)
			press(m, "P", "]")
			return m
		},
		"ports": func(t *testing.T, w, h int) *Model {
			m := open(t, "port-exhaustion", w, h)
			press(m, "P", "l", "l", "l")
			return m
		},
		"down": func(t *testing.T, w, h int) *Model {
			m := open(t, "keepalive-dead", w, h)
			press(m, "P", "l", "l")
			return m
		},
	}
	for name, setup := range setups {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s-%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
				m := setup(t, sz[0], sz[1])
				lines := strings.Split(m.render(), "\n")
				if len(lines) != sz[1] {
					t.Fatalf("%d lines, want %d", len(lines), sz[1])
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w != sz[0] {
						t.Fatalf("line %d is %d cells wide, want %d: %q", i, w, sz[0], ansi.Strip(l))
					}
				}
				m.Update(tea.WindowSizeMsg{Width: sz[0] + 7, Height: sz[1] + 3})
				if n := strings.Count(m.render(), "\n") + 1; n != sz[1]+3 {
					t.Fatalf("after a resize: %d lines, want %d", n, sz[1]+3)
				}
			})
		}
	}
}

// The state names come out of the pixel font at both scales, and the
// font is chosen by width only, so the look does not change with states.
func TestBigFont(t *testing.T) {
	rows := bigText("FIN-WAIT-2", 1)
	if len(rows) != 3 {
		t.Fatalf("scale 1 has %d rows, want 3", len(rows))
	}
	w, ok := bigWidth("FIN-WAIT-2", 1)
	for _, r := range rows {
		if ansi.StringWidth(r) != w || !ok {
			t.Errorf("row %q is not %d cells", r, w)
		}
	}
	if _, ok := bigWidth("已断电", 1); ok {
		t.Error("the pixel font claims to draw Chinese")
	}
	if got := presentFont(34, 23); got != 0 {
		t.Errorf("an 80-column box uses font %d, want spaced letters", got)
	}
	if got := presentFont(94, 59); got != 2 {
		t.Errorf("a 200-column box uses font %d, want scale 2", got)
	}
}
