package serve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"finwait/lessons"
)

// exit codes, as for the rest of finwait
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// stopTimeout is how long SIGINT/SIGTERM waits for students' sessions to
// end before cutting them off.
const stopTimeout = 5 * time.Second

// Main is `finwait serve ARGS...`: it serves until SIGINT or SIGTERM and
// returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, stdout, stderr, nil)
}

// usageError is a bad flag or flag value: exit code 2.
type usageError struct{ error }

// run serves until ctx is done; ready, if set, is told the address.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(net.Addr)) int {
	cfg, help, err := parseArgs(args)
	cat := lessons.Messages(cfg.Lang)
	if help {
		printUsage(stdout, cat)
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "finwait serve: "+err.Error()+" "+cat.T("serve.see_help"))
		return exitUsage
	}
	cfg.Log = stdout
	srv, err := New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "finwait serve: "+err.Error())
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitError
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		fmt.Fprintln(stderr, "finwait serve: "+cat.T("serve.err.listen", "addr", cfg.Addr, "err", err))
		return exitError
	}
	for _, l := range srv.banner(ln.Addr()) {
		srv.say("banner", l)
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		srv.say("stopping", cat.T("serve.stopping", "n", srv.Sessions()))
		sctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		srv.Shutdown(sctx)
		<-errc
		srv.say("stopped", cat.T("serve.stopped"))
		return exitOK
	case err := <-errc:
		fmt.Fprintln(stderr, "finwait serve: "+err.Error())
		return exitError
	}
}

// parseArgs reads the flags ("--flag value" or "--flag=value"). The
// returned Config always has a valid Lang, so errors can be printed in it.
func parseArgs(args []string) (cfg Config, help bool, err error) {
	cfg = Config{Addr: DefaultAddr, MaxSessions: DefaultMaxSessions, IdleTimeout: DefaultIdleTimeout, Lang: "en"}
	fs := flag.NewFlagSet("finwait serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	addr := fs.String("addr", DefaultAddr, "")
	key := fs.String("host-key", "", "")
	maxS := fs.String("max-sessions", strconv.Itoa(DefaultMaxSessions), "")
	idle := fs.String("idle-timeout", "30m", "")
	keys := fs.String("authorized-keys", "", "")
	pw := fs.String("password-file", "", "")
	inst := fs.String("instructor-key", "", "")
	lang := fs.String("lang", "en", "")
	grace := fs.String("login-grace", formatDuration(DefaultLoginGrace), "")
	startups := fs.String("max-startups", DefaultStartups.String(), "")
	perSource := fs.String("per-source-max-startups", strconv.Itoa(DefaultPerSourceMaxStartups), "")
	logFormat := fs.String("log-format", LogText, "")
	insecureKey := fs.Bool("insecure-host-key-perms", false, "")
	perr := fs.Parse(args)
	if *lang == "zh" {
		cfg.Lang = "zh"
	}
	cat := lessons.Messages(cfg.Lang)
	if errors.Is(perr, flag.ErrHelp) {
		return cfg, true, nil
	}
	if perr != nil {
		msg := perr.Error()
		if v, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			return cfg, false, errors.New(cat.T("serve.err.flag_unknown", "v", "--"+strings.TrimPrefix(v, "-")))
		}
		if v, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
			return cfg, false, errors.New(cat.T("serve.err.flag_value", "v", "--"+strings.TrimPrefix(v, "-")))
		}
		return cfg, false, perr
	}
	if *lang != "en" && *lang != "zh" {
		return cfg, false, errors.New(cat.T("serve.err.lang", "v", *lang))
	}
	if fs.NArg() > 0 {
		return cfg, false, errors.New(cat.T("serve.err.args", "v", fs.Arg(0)))
	}
	_, port, err := net.SplitHostPort(*addr)
	if p, perr := strconv.Atoi(port); err != nil || perr != nil || p < 0 || p > 65535 {
		return cfg, false, errors.New(cat.T("serve.err.addr", "v", *addr))
	}
	n, err := strconv.Atoi(*maxS)
	if err != nil || n < 1 || n > 100000 {
		return cfg, false, errors.New(cat.T("serve.err.max_sessions", "v", *maxS))
	}
	d, err := time.ParseDuration(*idle)
	if err != nil || d < 0 {
		return cfg, false, errors.New(cat.T("serve.err.idle", "v", *idle))
	}
	cfg.Addr, cfg.HostKeyPath, cfg.MaxSessions, cfg.IdleTimeout = *addr, *key, n, d
	if cfg.LoginGrace, err = time.ParseDuration(*grace); err != nil || cfg.LoginGrace < time.Second || cfg.LoginGrace > time.Hour {
		return cfg, false, errors.New(cat.T("serve.err.login_grace", "v", clip(*grace, 40)))
	}
	var ok bool
	if cfg.MaxStartups, ok = ParseStartups(*startups); !ok {
		return cfg, false, errors.New(cat.T("serve.err.max_startups", "v", clip(*startups, 40)))
	}
	if *perSource == "none" {
		cfg.PerSourceMaxStartups = -1
	} else if cfg.PerSourceMaxStartups, err = strconv.Atoi(*perSource); err != nil || cfg.PerSourceMaxStartups < 1 ||
		cfg.PerSourceMaxStartups > 100000 {
		return cfg, false, errors.New(cat.T("serve.err.per_source", "v", clip(*perSource, 40)))
	}
	if *logFormat != LogText && *logFormat != LogJSON {
		return cfg, false, errors.New(cat.T("serve.err.log_format", "v", clip(*logFormat, 40)))
	}
	cfg.LogFormat, cfg.InsecureHostKeyPerms = *logFormat, *insecureKey
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "instructor-key" })
	if set && strings.TrimSpace(*inst) == "" {
		return cfg, false, errors.New(cat.T("serve.err.flag_value", "v", "--instructor-key"))
	}
	cfg.AuthorizedKeys, cfg.PasswordFile, cfg.InstructorKey = *keys, *pw, strings.TrimSpace(*inst)
	return cfg, false, nil
}

func printUsage(w io.Writer, cat *lessons.Catalog) {
	fmt.Fprintln(w, cat.T("serve.usage"))
	fmt.Fprintln(w, "  finwait serve [--addr 127.0.0.1:2222] [--host-key PATH] [--max-sessions 200]")
	fmt.Fprintln(w, "                [--idle-timeout 30m] [--authorized-keys FILE] [--password-file FILE]")
	fmt.Fprintln(w, "                [--instructor-key PUBKEY|FILE] [--lang en|zh] [--log-format text|json]")
	fmt.Fprintln(w, "                [--login-grace 30s] [--max-startups 10:30:100] [--per-source-max-startups 5]")
	fmt.Fprintln(w, "                [--insecure-host-key-perms]")
	for _, f := range []struct{ flag, key string }{
		{"--addr HOST:PORT", "serve.flag.addr"},
		{"--host-key PATH", "serve.flag.host_key"},
		{"--max-sessions N", "serve.flag.max_sessions"},
		{"--idle-timeout D", "serve.flag.idle_timeout"},
		{"--authorized-keys FILE", "serve.flag.authorized_keys"},
		{"--password-file FILE", "serve.flag.password_file"},
		{"--instructor-key KEY", "serve.flag.instructor_key"},
		{"--lang en|zh", "serve.flag.lang"},
		{"--log-format text|json", "serve.flag.log_format"},
		{"--login-grace D", "serve.flag.login_grace"},
		{"--max-startups B:R:F", "serve.flag.max_startups"},
		{"--per-source-max-startups N", "serve.flag.per_source"},
		{"--insecure-host-key-perms", "serve.flag.insecure_host_key"},
	} {
		fmt.Fprintf(w, "  %-28s %s\n", f.flag, cat.T(f.key))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, cat.T("serve.usage_follow"))
	fmt.Fprintln(w, cat.T("serve.usage_follow_keys"))
	fmt.Fprintln(w, cat.T("serve.usage_follow_ssh"))
}
