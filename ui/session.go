package ui

import (
	tea "charm.land/bubbletea/v2"
)

// SessionOptions configures one interactive session that another front end
// (the SSH server) runs on its own terminal.
type SessionOptions struct {
	Lang         string // "en" or "zh"
	ProgressPath string // where this user's lesson progress is kept; "" keeps none
}

// NewSession returns the root model of one interactive session, opened as
// a plain `finwait` would open it.
func NewSession(o SessionOptions) (tea.Model, error) {
	return openModel(TUIOptions{Lang: o.Lang}, o.ProgressPath)
}
