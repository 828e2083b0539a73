package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// SessionOptions configures one interactive session that another front end
// (the SSH server) runs on its own terminal.
type SessionOptions struct {
	Lang         string // "en" or "zh"
	ProgressPath string // where this user's lesson progress is kept; "" keeps none
	// NoFiles: the session may not write files (e exports). NewSession
	// sets it whatever the caller passes: a shared session must never
	// write on the server.
	NoFiles bool

	// A classroom (finwait serve --instructor-key): Class connects the
	// session to the others, User is the SSH user name shown to the
	// instructor, and Instructor is set for the session that leads.
	Class      Class
	User       string
	Instructor bool

	// AnimFPS is how many animation frames a second the session draws
	// while something moves (0: 30, as in a local terminal). A server
	// with many students lowers it: every frame costs the server a View
	// and a diff of the screen.
	AnimFPS int
}

// NewSession returns the root model of one interactive session, opened as
// a plain `finwait` would open it.
func NewSession(o SessionOptions) (tea.Model, error) {
	o.NoFiles = true
	m, err := openModel(TUIOptions{Lang: o.Lang}, o.ProgressPath)
	if err != nil {
		return nil, err
	}
	m.noFiles = o.NoFiles
	if o.Class != nil {
		m.seat = &seat{class: o.Class, user: o.User, instructor: o.Instructor, on: !o.Instructor}
	}
	if o.AnimFPS > 0 {
		m.clock.frame = time.Second / time.Duration(o.AnimFPS)
	}
	return m, nil
}
