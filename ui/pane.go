package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// ctx is what every pane reads: the screen's size and look, the keys, the
// catalogue, and the run as the root holds it. Panes draw from it and
// never change the run: what they want done they emit (see emit), and the
// root does it.
type ctx struct {
	w, h    int
	dark    bool
	present bool // presenter mode (P)
	lang    string
	cat     *lessons.Catalog
	keys    keyMap
	st      styles

	run   *lessons.Player // the run and the open lesson step
	clock clock           // play, skip and speed
	side  model.Side      // the side application keys act on
	seg   int             // selected segment id in flight, 0 for none
	file  *lessons.Lesson // the lesson given with --lesson FILE

	msg    string // status message (an error or a confirmation)
	msgErr bool

	boxes map[boxKey][]string // state boxes drawn, kept between frames
	gen   int                 // numbers the commands whose results a pane waits for

	out []tea.Msg // what panes emitted during this Update
}

// sim is the run being shown.
func (cx *ctx) sim() *model.Sim { return cx.run.Sim() }

// sc is the scenario the run was built from.
func (cx *ctx) sc() *model.Scenario { return cx.run.Scenario() }

// emit asks the root to do something once the pane's Update returns (open
// a lesson, restart the run, say a message, close the pane).
func (cx *ctx) emit(msg tea.Msg) { cx.out = append(cx.out, msg) }

// say sets the status message from a catalogue key.
func (cx *ctx) say(k string, isErr bool, args ...any) {
	cx.msg, cx.msgErr = cx.cat.T(k, args...), isErr
}

// pane is a screen on the focus stack: the help, a form, a list, a panel.
// The top pane gets every key; the root routes nothing else to it.
type pane interface {
	// Update takes a key; it returns the pane as it is now, or nil when
	// the pane closes.
	Update(cx *ctx, msg tea.KeyPressMsg) (pane, tea.Cmd)
	// View draws the pane in exactly h rows of cx.w cells; nil shows the
	// main screen under it (a prompt in the hint line only).
	View(cx *ctx, h int) []string
	// Hints are the keys the hint line offers while the pane is open.
	Hints(cx *ctx) []key.Binding
}

// Intents the panes emit; the root carries them out (Model.do).
type (
	closePane  struct{} // close the top pane
	restartRun struct {
		sc   *model.Scenario
		sets []string
	} // a new run; the lesson stays open
	openRun     struct{ sc *model.Scenario } // a scenario from the picker: the lesson closes
	openLesson  struct{ l *lessons.Lesson }  // a lesson from the menu, at its first step
	applyAction struct {
		a    model.Action
		done string // catalogue key said once it is applied
		args []any
	}
	continueWith struct{ sets []model.Action } // settings applied from now on
)
