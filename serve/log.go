package serve

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"finwait/internal/termsafe"
)

// The server's log (--log-format): one line per join, leave, refusal and
// failed sign-in, each with the source address and the user name. Text is
// for the instructor's terminal: a time and the catalogue's sentence.
// JSON is one object a line for tools: time, level, msg (the same
// sentence), event (the catalogue key without "serve.log.") and every
// argument of the sentence.
//
// Everything that came from a client is escaped here, once, with
// termsafe (user names clipped to 64 runes, other text to maxLogText), so
// that no caller can forget: a name chosen by whoever connects never
// reaches the instructor's terminal raw.
const (
	LogText = "text"
	LogJSON = "json"

	maxLogText = 200
)

// throttled events are the ones a client can cause at will, before it
// has a seat: each kind logs a burst of throttleBurst lines, then
// throttleRate a second; the next line logged says how many were left out.
var throttled = map[string]bool{
	"startups": true, "per_source": true, "login_timeout": true, "login_timeout_user": true, "auth_failed": true,
	"login_failed": true, "channels": true, "no_pty": true, "no_command": true, "full": true,
}

const (
	throttleBurst = 20
	throttleRate  = 1.0 // lines a second
)

type serverLog struct {
	l    *slog.Logger
	json bool
	text *lineHandler // nil in JSON

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens     float64
	fill       time.Time
	suppressed int
}

func newServerLog(w io.Writer, format string) *serverLog {
	sl := &serverLog{json: format == LogJSON, buckets: map[string]*bucket{}}
	if sl.json {
		sl.l = slog.New(slog.NewJSONHandler(w, nil))
	} else {
		sl.text = &lineHandler{w: w}
		sl.l = slog.New(sl.text)
	}
	return sl
}

// allow spends a token of the event's bucket; it returns whether to log
// and how many lines of the kind were left out since the last one logged.
func (sl *serverLog) allow(event string, now time.Time) (bool, int) {
	if !throttled[event] {
		return true, 0
	}
	sl.mu.Lock()
	defer sl.mu.Unlock()
	b := sl.buckets[event]
	if b == nil {
		b = &bucket{tokens: throttleBurst, fill: now}
		sl.buckets[event] = b
	}
	b.tokens = min(throttleBurst, b.tokens+now.Sub(b.fill).Seconds()*throttleRate)
	b.fill = now
	if b.tokens < 1 {
		b.suppressed++
		return false, 0
	}
	b.tokens--
	n := b.suppressed
	b.suppressed = 0
	return true, n
}

// logf logs the catalogue message key ("serve.log.join") with its
// arguments (name, value pairs), escaping every string and error.
func (s *Server) logf(key string, args ...any) {
	event := strings.TrimPrefix(key, "serve.log.")
	ok, left := s.log.allow(event, time.Now())
	if !ok {
		return
	}
	safe := make([]any, 0, len(args)+2)
	for i := 0; i+1 < len(args); i += 2 {
		name, v := args[i], args[i+1]
		switch x := v.(type) {
		case string:
			if name == "user" {
				v = termsafe.Name(x)
				if x == "" {
					v = `""`
				}
			} else {
				v = termsafe.Text(x, maxLogText)
			}
		case error:
			v = termsafe.Text(x.Error(), maxLogText)
		case fmt.Stringer:
			v = termsafe.Text(x.String(), maxLogText)
		case int, int64, uint64, bool:
		default:
			v = termsafe.Text(fmt.Sprint(x), maxLogText)
		}
		safe = append(safe, name, v)
	}
	msg := s.cat.T(key, safe...)
	level := slog.LevelInfo
	if throttled[event] || event == "crash" {
		level = slog.LevelWarn
	}
	attrs := append([]any{"event", event}, safe...)
	if left > 0 {
		msg += " " + s.cat.T("serve.log.suppressed", "n", left)
		attrs = append(attrs, "suppressed", left)
	}
	s.log.l.Log(context.Background(), level, msg, attrs...)
}

// flushSuppressed logs, for each throttled kind, how many lines were left
// out since its last line (at shutdown, so that none goes unsaid).
func (s *Server) flushSuppressed() {
	s.log.mu.Lock()
	var lines [][2]any
	for ev, b := range s.log.buckets {
		if b.suppressed > 0 {
			lines = append(lines, [2]any{ev, b.suppressed})
			b.suppressed = 0
		}
	}
	s.log.mu.Unlock()
	for _, l := range lines {
		msg := s.cat.T("serve.log.suppressed_total", "event", l[0], "n", l[1])
		s.log.l.Warn(msg, "event", "suppressed", "of", l[0], "n", l[1])
	}
}

// say prints one of the server's own lines (the banner, stopping): as it
// is in text, as an event in JSON, so that a JSON log stays one object a
// line.
func (s *Server) say(event, line string) {
	if s.log.json {
		s.log.l.Info(line, "event", event)
		return
	}
	s.log.text.println(line)
}

// lineHandler is the text format: "15:04:05 message", one line a record;
// the attributes are already in the message.
type lineHandler struct {
	mu sync.Mutex
	w  io.Writer
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	return h.println(r.Time.Format("15:04:05") + " " + r.Message)
}

func (h *lineHandler) println(line string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := fmt.Fprintln(h.w, line)
	return err
}

func (h *lineHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *lineHandler) WithGroup(string) slog.Handler      { return h }
