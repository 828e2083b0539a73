package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/lessons"
	"finwait/model"
)

// keyMap is every key the program reads. The help view and the status bar
// hints are generated from these same bindings.
type keyMap struct {
	// time
	Play, Forward, Back, Start, Faster, Slower, Skip key.Binding
	// segments in flight
	NextSeg, PrevSeg, Drop, Delay, Duplicate, ArmDrop key.Binding
	// applications
	Client, Server, Close, Shutdown, Send, Abort, PowerOff, Reboot, Reconnect key.Binding
	// views
	Settings, Open, Lang, Help, ScrollUp, ScrollDown, TWReuse, Kernel, Quit key.Binding
	// classroom
	Present, Export key.Binding
	// the classroom (finwait serve)
	Branch, Rejoin, ClassView key.Binding
	// forms and pickers
	Up, Down, Enter, Cancel, Restart, Continue, Erase key.Binding
	// lessons
	Lessons, NextStep, PrevStep, Path, Answer, Pane, TextUp, TextDown key.Binding
	// Choices picks a question's answer: Choices[i] is choice i (Answer
	// is all of them, for the help and the hint line).
	Choices []key.Binding
	// ForceQuit ends the program from any screen.
	ForceQuit key.Binding
}

// defaultKeyMap builds the bindings with their help in the language of cat.
func defaultKeyMap(cat *lessons.Catalog) keyMap {
	b := func(keys []string, label, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, cat.T("ui.key."+desc)))
	}
	k := func(keys ...string) []string { return keys }
	var choices []key.Binding
	for i := 1; i <= 9; i++ {
		n := string(rune('0' + i))
		choices = append(choices, key.NewBinding(key.WithKeys(n), key.WithHelp(n, cat.T("ui.key.answer"))))
	}
	return keyMap{
		Choices:   choices,
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c")),
		Play:      b(k("space"), "space", "play"),
		Forward:   b(k("right", "l"), "→/l", "forward"),
		Back:      b(k("left", "h"), "←/h", "back"),
		Start:     b(k("home", "g"), "home/g", "start"),
		Faster:    b(k("+", "="), "+", "faster"),
		Slower:    b(k("-", "_"), "-", "slower"),
		Skip:      b(k("n"), "n", "skip"),

		NextSeg:   b(k("tab"), "tab", "next_seg"),
		PrevSeg:   b(k("shift+tab"), "shift+tab", "prev_seg"),
		Drop:      b(k("x"), "x", "drop"),
		Delay:     b(k("d"), "d", "delay"),
		Duplicate: b(k("u"), "u", "duplicate"),
		ArmDrop:   b(k("X"), "X", "arm_drop"),

		Client:    b(k("c"), "c", "client"),
		Server:    b(k("S"), "S", "server"),
		Close:     b(k("C"), "C", "close"),
		Shutdown:  b(k("w"), "w", "shutdown"),
		Send:      b(k("D"), "D", "send"),
		Abort:     b(k("A"), "A", "abort"),
		PowerOff:  b(k("k"), "k", "poweroff"),
		Reboot:    b(k("K"), "K", "reboot"),
		Reconnect: b(k("r"), "r", "reconnect"),

		Settings:   b(k("s"), "s", "settings"),
		Open:       b(k("o"), "o", "open"),
		Lang:       b(k("L"), "L", "lang"),
		Help:       b(k("?"), "?", "help"),
		ScrollUp:   b(k("pgup"), "pgup", "scroll_up"),
		ScrollDown: b(k("pgdown"), "pgdn", "scroll_down"),
		TWReuse:    b(k("t"), "t", "tw_reuse"),
		Kernel:     b(k("v"), "v", "kernel"),
		Quit:       b(k("q"), "q", "quit"),
		Present:    b(k("P"), "P", "present"),
		Export:     b(k("e"), "e", "export"),
		Branch:     b(k("b"), "b", "branch"),
		Rejoin:     b(k("f"), "f", "rejoin"),
		ClassView:  b(k("T"), "T", "class"),

		Up:       b(k("up", "k"), "↑/k", "up"),
		Down:     b(k("down", "j"), "↓/j", "down"),
		Enter:    b(k("enter"), "enter", "enter"),
		Cancel:   b(k("esc"), "esc", "cancel"),
		Restart:  b(k("ctrl+r"), "ctrl+r", "restart"),
		Continue: b(k("ctrl+n"), "ctrl+n", "continue"),
		Erase:    b(k("backspace"), "⌫", "erase"),

		Lessons:  b(k("m"), "m", "lessons"),
		NextStep: b(k("]"), "]", "next_step"),
		PrevStep: b(k("["), "[", "prev_step"),
		Path:     b(k("R"), "R", "path"),
		Answer:   b(k("1", "2", "3", "4", "5", "6", "7", "8", "9"), "1…9", "answer"),
		Pane:     b(k("p"), "p", "pane"),
		TextUp:   b(k("up"), "↑", "text_up"),
		TextDown: b(k("down"), "↓", "text_down"),
	}
}

// helpGroup is one titled column of the help view.
type helpGroup struct {
	title string // catalogue key
	keys  []key.Binding
}

// fullHelp lists every binding by group, for the help view.
func (k keyMap) fullHelp() []helpGroup {
	return []helpGroup{
		{"ui.help.time", []key.Binding{k.Play, k.Forward, k.Back, k.Start, k.Faster, k.Slower, k.Skip, k.ScrollUp, k.ScrollDown}},
		{"ui.help.segments", []key.Binding{k.NextSeg, k.PrevSeg, k.Drop, k.Delay, k.Duplicate, k.ArmDrop}},
		{"ui.help.apps", []key.Binding{k.Client, k.Server, k.Close, k.Shutdown, k.Send, k.Abort, k.PowerOff, k.Reboot, k.Reconnect}},
		{"ui.help.views", []key.Binding{k.Settings, k.Open, k.TWReuse, k.Kernel, k.Present, k.Export, k.Lang, k.Help, k.Quit}},
		{"ui.help.forms", []key.Binding{k.Up, k.Down, k.Enter, k.Erase, k.Restart, k.Continue, k.Cancel}},
		{"ui.help.lessons", []key.Binding{k.Lessons, k.NextStep, k.PrevStep, k.Path, k.Answer, k.Pane, k.TextUp, k.TextDown}},
		{"ui.help.class", []key.Binding{k.Branch, k.Rejoin, k.ClassView}},
	}
}

// shortHelp is the status bar's hint line.
func (k keyMap) shortHelp() []key.Binding {
	return []key.Binding{k.Play, k.Forward, k.Back, k.Skip, k.NextSeg, k.Drop, k.Close, k.Settings, k.Open, k.Help, k.Quit}
}

// lessonHelp is the hint line while a lesson is open.
func (k keyMap) lessonHelp() []key.Binding {
	return []key.Binding{k.NextStep, k.PrevStep, k.Play, k.Forward, k.Back, k.Path, k.Lessons, k.Pane, k.Help, k.Quit}
}

type keyBinding = key.Binding

// choice is the answer a key picks, from 0; -1 for a key that picks none.
func (k keyMap) choice(msg tea.KeyPressMsg) int {
	for i, b := range k.Choices {
		if key.Matches(msg, b) {
			return i
		}
	}
	return -1
}

// offered is the key map as the hint line and the help offer it now: the
// application calls, peer events and segment faults that the run's
// current state allows (model.Sim.Allowed); the others are disabled
// there. The keys themselves stay live, so a key pressed anyway is
// answered with the engine's reason.
func (cx *ctx) offered() keyMap {
	k := cx.keys
	sim := cx.sim()
	mine, peer := sim.Allowed(cx.side), sim.Allowed(cx.side.Other())
	client := sim.Allowed(model.Client)
	k.Close.SetEnabled(mine.Has(model.ActClose))
	k.Shutdown.SetEnabled(mine.Has(model.ActShutdown))
	k.Send.SetEnabled(mine.Has(model.ActSend))
	k.Abort.SetEnabled(mine.Has(model.ActAbort))
	k.PowerOff.SetEnabled(peer.Has(model.ActPowerOff) || peer.Has(model.ActPowerOn))
	k.Reboot.SetEnabled(peer.Has(model.ActReboot))
	k.Reconnect.SetEnabled(client.Has(model.ActReconnect))
	flying := len(sim.Flights()) > 0
	k.NextSeg.SetEnabled(flying)
	k.PrevSeg.SetEnabled(flying)
	fault := func(kind model.ActionKind) bool {
		if f, ok := cx.selected(); ok {
			return sim.Check(model.Action{Kind: kind, N: f.Seg.ID, Dur: time.Millisecond}) == nil
		}
		return sim.Allowed(model.Client).Has(kind) || sim.Allowed(model.Server).Has(kind)
	}
	k.Drop.SetEnabled(fault(model.ActDrop))
	k.Delay.SetEnabled(fault(model.ActDelay))
	k.Duplicate.SetEnabled(fault(model.ActDuplicate))
	return k
}

// enabled keeps the bindings that are enabled.
func enabled(bs []key.Binding) []key.Binding {
	out := bs[:0:0]
	for _, b := range bs {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}
