// Package lessons owns finwait's words: the message catalogues (every
// string the interface shows, in English and Simplified Chinese) and the
// guided lessons.
package lessons

import (
	"bufio"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"

	"finwait/assets"
	"finwait/model"
)

// Languages lists the interface languages: English and Simplified Chinese.
var Languages = []string{"en", "zh"}

// Catalog is one language's messages.
type Catalog struct {
	Lang string
	m    map[string]string
}

// catalogues are loaded once per language, on first use: a program that
// runs in English never parses the Chinese files.
var catalogues = func() map[string]func() (*Catalog, error) {
	m := map[string]func() (*Catalog, error){}
	for _, l := range Languages {
		m[l] = sync.OnceValues(func() (*Catalog, error) { return LoadCatalog(l, assets.FS, "messages/"+l) })
	}
	return m
}()

// Messages returns the catalogue for lang ("en" or "zh"); any other
// language gets English.
func Messages(lang string) *Catalog {
	load, ok := catalogues[lang]
	if !ok {
		load = catalogues["en"]
	}
	c, _ := load()
	return c
}

// LoadError reports a malformed catalogue file (a build defect: tests catch it).
func LoadError() error {
	for _, l := range Languages {
		if _, err := catalogues[l](); err != nil {
			return err
		}
	}
	return nil
}

// LoadCatalog reads every *.txt file in dir (one file per part of the
// program: engine.txt, ui.txt, ...) into one catalogue. A key defined in
// two places is an error.
func LoadCatalog(lang string, fsys fs.FS, dir string) (*Catalog, error) {
	c := &Catalog{Lang: lang, m: map[string]string{}}
	files, err := fs.Glob(fsys, dir+"/*.txt")
	if err != nil {
		return c, err
	}
	for _, f := range files {
		if err := c.parse(fsys, f); err != nil {
			return c, err
		}
	}
	return c, nil
}

// parse reads "key = text" lines; '#' starts a comment line. The file may
// start with a UTF-8 byte-order mark and end its lines in CRLF.
func (c *Catalog) parse(fsys fs.FS, path string) error {
	f, err := fsys.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if n == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		line := strings.TrimSpace(text)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("%s:%d: expected key = text", path, n)
		}
		k = strings.TrimSpace(k)
		if _, dup := c.m[k]; dup {
			return fmt.Errorf("%s:%d: key %q defined twice", path, n, k)
		}
		c.m[k] = strings.TrimSpace(v)
	}
	return sc.Err()
}

// Has reports whether the catalogue defines key.
func (c *Catalog) Has(key string) bool { _, ok := c.m[key]; return ok }

// Keys lists every key, sorted.
func (c *Catalog) Keys() []string {
	out := make([]string, 0, len(c.m))
	for k := range c.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// T returns the text for key with {name} placeholders filled from args,
// given as name, value pairs (model.Fill). A key this language lacks is
// taken from English; a key no catalogue has returns the key itself.
func (c *Catalog) T(key string, args ...any) string {
	s, ok := c.m[key]
	if !ok {
		if e, ok := Messages("en").m[key]; ok {
			s = e
		} else {
			return key
		}
	}
	return model.Fill(s, args...)
}

// Side names a side in this language.
func (c *Catalog) Side(s model.Side) string { return c.T("side." + s.String()) }

// Note explains a trace event in this language.
func (c *Catalog) Note(e *model.Event) string {
	if e.Note == "" {
		return ""
	}
	n := e.N
	if e.HasSeg && e.Kind == model.EvSend && e.Seg.Retrans > 0 {
		n = e.Seg.Retrans
	}
	args := []any{"side", c.Side(e.Side), "peer", c.Side(e.Side.Other()),
		"from", e.From.String(), "to", e.To.String(), "dur", model.FormatDuration(e.Dur),
		"n", strconv.Itoa(n), "detail", e.Detail, "rule", e.Rule}
	if e.HasSeg {
		args = append(args, "flags", e.Seg.Flags.String(), "seq", e.Seg.Seq, "ack", e.Seg.Ack, "len", e.Seg.Len)
	}
	return c.T(e.Note, args...)
}
