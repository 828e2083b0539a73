package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"finwait/lessons"
	"finwait/model"
	"finwait/render"
)

// maxTraceSteps bounds a headless run.
const maxTraceSteps = 50_000_000

// runTrace is `finwait trace SCENARIO|FILE.scn`: the run headless, as a
// ladder, JSON lines, Mermaid or SVG, on standard output or in -o FILE.
// Every write and the final flush and close are checked: an output that
// cannot be written is exit code 1 with the system's message, never
// "Exported".
func runTrace(e *env) int {
	f, cat := e.f, e.cat
	if len(f.rest) != 1 {
		return fail(e.stderr, f.lang, errors.New(cat.T("cli.err.trace_args")))
	}
	sc, err := lessons.LoadScenario(f.rest[0])
	if err != nil {
		return fail(e.stderr, f.lang, err)
	}
	sim, err := model.New(sc, f.sets, f.drops)
	if err != nil {
		return fail(e.stderr, f.lang, err)
	}
	format := f.format
	if f.json {
		format = "json"
	} else if format == "" {
		format = "text"
	}
	if f.out == "" || f.out == "-" {
		sim.Run(maxTraceSteps)
		b := bufio.NewWriterSize(e.stdout, 64<<10)
		if err := writeTrace(b, sim, cat, format); err != nil {
			if e.stdoutFailed() {
				return exitError // Main says why, as for every command
			}
			return failRun(e, err)
		}
		return exitOK
	}
	// The file is opened before the run, so that a folder that does not
	// exist is said at once, not after a long run.
	out, err := createOutput(f.out)
	if err != nil {
		return failRun(e, errors.New(cat.T("cli.err.export_write", "err", err)))
	}
	sim.Run(maxTraceSteps)
	err = writeTrace(bufio.NewWriterSize(out, 64<<10), sim, cat, format)
	if err == nil {
		err = out.commit()
	} else {
		out.abandon()
	}
	if err != nil {
		return failRun(e, errors.New(cat.T("cli.err.export_write", "err", out.named(err))))
	}
	fmt.Fprintln(e.stderr, cat.T("cli.exported", "file", f.out))
	return exitOK
}

// writeTrace writes the run in format and flushes b; it returns the first
// error of any write.
func writeTrace(b *bufio.Writer, sim *model.Sim, cat *lessons.Catalog, format string) error {
	var err error
	if format == "json" {
		for i := range sim.Trace() {
			ev := &sim.Trace()[i]
			if _, err = fmt.Fprintln(b, ev.JSON(cat.Note(ev))); err != nil {
				break
			}
		}
	} else {
		err = render.Export(b, sim, cat, format)
	}
	if ferr := b.Flush(); err == nil {
		err = ferr
	}
	return err
}

// output is where -o FILE is written. A regular file (new, or one that
// exists) is written beside it under a temporary name and renamed over it
// once complete and synced, so that a full disk leaves no half export and
// an older FILE intact; anything else (a device such as /dev/full, a pipe,
// a symbolic link) is written in place.
type output struct {
	*os.File
	path string // FILE
	tmp  string // the temporary file, "" when writing in place
}

func createOutput(path string) (*output, error) {
	fi, err := os.Lstat(path)
	switch {
	case err == nil && !fi.Mode().IsRegular():
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, err
		}
		return &output{File: f, path: path}, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	perm := fs.FileMode(0o644)
	if fi != nil {
		perm = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		// Said of FILE: the temporary name means nothing to the user.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = &fs.PathError{Op: "open", Path: path, Err: pe.Err}
		}
		return nil, err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &output{File: f, path: path, tmp: f.Name()}, nil
}

// commit finishes the file: sync, close and rename into place. A failure
// removes the temporary file.
func (o *output) commit() error {
	if o.tmp == "" {
		return o.Close()
	}
	err := o.Sync()
	if cerr := o.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.tmp, o.path)
	}
	if err != nil {
		os.Remove(o.tmp)
	}
	return err
}

// named says err of FILE when it names the temporary file.
func (o *output) named(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case o.tmp == "":
	case errors.As(err, &pe) && pe.Path == o.tmp:
		return &fs.PathError{Op: pe.Op, Path: o.path, Err: pe.Err}
	case errors.As(err, &le) && le.Old == o.tmp:
		return &fs.PathError{Op: le.Op, Path: o.path, Err: le.Err}
	}
	return err
}

// abandon closes the file after a failed write and removes the temporary
// file.
func (o *output) abandon() {
	o.Close()
	if o.tmp != "" {
		os.Remove(o.tmp)
	}
}
