package ui

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// narrModel opens a scenario in narration mode, as --narrate does: the
// first message (the window size) prints the introduction.
func narrModel(t *testing.T, scenario, lang string) *Model {
	t.Helper()
	m := open(t, scenario, 80, 24)
	m.narr = &narration{}
	m.setLang(lang)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m
}

// printedBy runs cmd as Bubble Tea would and returns what it hands to
// tea.Println, line by line.
func printedBy(cmd tea.Cmd) []string {
	if cmd == nil {
		return nil
	}
	var out []string
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			out = append(out, printedBy(c)...)
		}
	default:
		// tea.Println's and tea.Sequence's messages are unexported: read
		// them by reflection.
		v := reflect.ValueOf(msg)
		switch {
		case v.Kind() == reflect.Struct && v.Type().Name() == "printLineMessage":
			out = append(out, strings.Split(v.Field(0).String(), "\n")...)
		case v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)):
			for i := range v.Len() {
				out = append(out, printedBy(v.Index(i).Interface().(tea.Cmd))...)
			}
		}
	}
	return out
}

// pressPrinted presses a key and returns the lines it prints.
func pressPrinted(m *Model, k string) []string {
	_, cmd := m.Update(keyMsg(k))
	return printedBy(cmd)
}

// inOrder checks that each want appears in lines after the previous one.
func inOrder(t *testing.T, lines []string, wants ...string) {
	t.Helper()
	i := 0
	for _, w := range wants {
		for i < len(lines) && !strings.Contains(lines[i], w) {
			i++
		}
		if i == len(lines) {
			t.Errorf("%q is not printed (in order); printed:\n%s", w, strings.Join(lines, "\n"))
			return
		}
	}
}

// The close scenario, narrated by stepping with →: the FIN, the state
// changes and TIME-WAIT come in order, one line per step, as the
// sentences tea.Println is handed; ← prints where the run now is.
func TestNarrateCloseScenario(t *testing.T) {
	m := narrModel(t, "close", "en")
	v := m.View()
	if v.AltScreen || strings.Contains(v.Content, "\n") {
		t.Fatalf("narration view is not one line outside the alternate screen: %q", v.Content)
	}
	if !strings.Contains(v.Content, "client ESTABLISHED") || !strings.Contains(v.Content, "? keys") {
		t.Errorf("prompt lacks the states or the help key: %q", v.Content)
	}
	var lines []string
	for range 12 {
		lines = append(lines, pressPrinted(m, "right")...)
	}
	inOrder(t, lines,
		"0.000 s. The client's application calls close().",
		"The client enters FIN-WAIT-1 (from ESTABLISHED, rule 7).",
		"The client sends #1 FIN,ACK, seq 1001, ack 5001.",
		"0.020 s. #1 FIN,ACK arrives at the server. The server enters CLOSE-WAIT",
		"The server sends #2 ACK, seq 5001, ack 1002.",
		"The server enters LAST-ACK",
		"The client enters FIN-WAIT-2 (from FIN-WAIT-1, rule 9).",
		"0.090 s. #3 FIN,ACK arrives at the client. The client sends #4 ACK, seq 1002, ack 5002. The client enters TIME-WAIT (from FIN-WAIT-2, rule 13). The peer's FIN arrived in FIN-WAIT-2",
		"The server enters CLOSED (from LAST-ACK, rule 17).",
		"60.090 s. At the client, the TIME-WAIT timer fires. The client enters CLOSED (from TIME-WAIT, rule 22).",
		"Nothing more happens in this run.",
	)
	for _, l := range lines {
		if l != ansi.Strip(l) {
			t.Errorf("a narrated line has escape codes: %q", l)
		}
	}
	if got := strings.Join(m.narr.printed, "\n"); !strings.Contains(got, strings.Join(lines[:3], "\n")) {
		t.Error("the lines kept in the model are not the lines printed")
	}

	// A step back: one sentence says where the run is now.
	back := pressPrinted(m, "left")
	if len(back) != 1 || !strings.Contains(back[0], "Rewound: at 0.110 s (event 7) the client is in TIME-WAIT, the server in CLOSED.") {
		t.Errorf("rewind printed %q", back)
	}
	back = pressPrinted(m, "left")
	if len(back) != 1 || !strings.Contains(back[0], "Rewound: at 0.090 s (event 6) the client is in TIME-WAIT, the server in LAST-ACK.") {
		t.Errorf("rewind printed %q", back)
	}
	back = pressPrinted(m, "home")
	if len(back) != 1 || !strings.Contains(back[0], "Rewound: at 0.000 s (event 0) the client is in ESTABLISHED, the server in ESTABLISHED") {
		t.Errorf("home printed %q", back)
	}
	// Stepping again after a rewind narrates the events again.
	inOrder(t, pressPrinted(m, "right"), "The client sends #1 FIN,ACK")
}

// The user's own drop is narrated: the status confirmation, then the loss.
func TestNarrateDrop(t *testing.T) {
	m := narrModel(t, "close", "en")
	for range 3 {
		pressPrinted(m, "right")
	}
	var lines []string
	for _, k := range []string{"tab", "x", "right", "right"} {
		lines = append(lines, pressPrinted(m, k)...)
	}
	inOrder(t, lines, "Segment #2 dropped.", "#2 ACK from the server is lost on the link.")
}

// ? prints the key list as lines (every binding, P and e included) and
// leaves the program where it was.
func TestNarrateHelp(t *testing.T) {
	m := narrModel(t, "close", "en")
	lines := pressPrinted(m, "?")
	if m.top() != nil {
		t.Errorf("after ? the top pane is %T, want the run", m.top())
	}
	// The groups in the help view's order, a few keys of each, as a user
	// reads them; the classroom keys only in a classroom.
	inOrder(t, lines, "Keys",
		"space: play/pause", "→/l: next event", "n: skip quiet time",
		"tab: next segment (not now)", "x: drop it (not now)", "X: drop next from…",
		"C: close()", "w: shutdown(SHUT_WR)", "A: abort (RST)", "r: reconnect, same port",
		"s: settings", "o: scenarios", "v: compare with your kernel", "P: presenter mode", "e: export the run", "q: quit",
		"enter: edit / confirm", "ctrl+r: restart with new settings",
		"m: lessons", "]: next step", "1…9: answer the question")
	for _, l := range lines {
		if strings.Contains(l, "branch off") || strings.Contains(l, "the class: students") {
			t.Errorf("a session outside a classroom lists a classroom key: %q", l)
		}
	}
	// With the client's FIN in flight, the segment keys apply; close()
	// again does not (the client has closed).
	pressPrinted(m, "right")
	lines = pressPrinted(m, "?")
	inOrder(t, lines, "tab: next segment", "x: drop it", "C: close() (not now)")
	for _, l := range lines {
		if strings.Contains(l, "x: drop it (not now)") {
			t.Errorf("with a segment in flight x is not offered: %q", l)
		}
	}
}

// A lesson step's text is printed as plain paragraphs when the step is
// entered, and the question's choices with it.
func TestNarrateLesson(t *testing.T) {
	m := lessonModel(t, 1, "en", 80, 24)
	m.narr = &narration{}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	first := strings.Join(m.narr.printed, "\n")
	if !strings.Contains(first, "Lesson 1 · ") || !strings.Contains(first, "step 1 of 9") {
		t.Errorf("the first step is not announced:\n%s", first)
	}
	lines := pressPrinted(m, "]")
	inOrder(t, lines, "step 2 of 9", "? The client's application calls close(). What does the client do?", "1  ")
	for _, l := range lines {
		if l != ansi.Strip(l) {
			t.Errorf("lesson text has escape codes: %q", l)
		}
	}
	lines = pressPrinted(m, "1")
	inOrder(t, lines, "✓ Right: It sends a FIN")
	// The step plays as ticks come: its events are narrated too.
	playOut(t, m)
	inOrder(t, m.narr.printed, "✓ Right", "The client sends #1 FIN,ACK")
}

// Chinese narration comes from the Chinese catalogue.
func TestNarrateChinese(t *testing.T) {
	m := narrModel(t, "close", "zh")
	lines := pressPrinted(m, "right")
	inOrder(t, lines, "0.000 秒。", "客户端进入 FIN-WAIT-1")
	if v := m.View().Content; !strings.Contains(v, "客户端 FIN-WAIT-1") {
		t.Errorf("Chinese prompt: %q", v)
	}
}

// Lists and forms are printed when they open, then their selection as it
// moves; enter opens the scenario like on the full screen.
func TestNarratePicker(t *testing.T) {
	m := narrModel(t, "close", "en")
	lines := pressPrinted(m, "o")
	inOrder(t, lines, "Open a scenario", "▶ close", "lost-fin", "enter")
	lines = pressPrinted(m, "down")
	if len(lines) != 1 || !strings.Contains(lines[0], "▶ fin-wait-2-timeout") {
		t.Errorf("down printed %q", lines)
	}
	if v := m.View().Content; !strings.Contains(v, "fin-wait-2-timeout") {
		t.Errorf("prompt does not show the selection: %q", v)
	}
	lines = pressPrinted(m, "enter")
	inOrder(t, lines, "Scenario fin-wait-2-timeout", "At 0.000 s (event 0)", "Opened fin-wait-2-timeout.")
}

func TestNarrateNoTerminal(t *testing.T) {
	var out, errb strings.Builder
	if code := RunTUI(TUIOptions{Narrate: true}, &out, &errb); code != 1 {
		t.Errorf("exit code %d without a terminal, want 1", code)
	}
	if s := errb.String(); !strings.Contains(s, "finwait trace") {
		t.Errorf("no no-terminal message: %q", s)
	}
}
