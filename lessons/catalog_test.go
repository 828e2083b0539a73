package lessons

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"finwait/model"
)

// catalogPlaceholder matches a {name} placeholder. "{on, 0}" (SO_LINGER's
// struct value in app.abort) is text, not a placeholder, and does not match.
var catalogPlaceholder = regexp.MustCompile(`\{[a-z_]+\}`)

func catalogLoaded(t *testing.T) (en, zh *Catalog) {
	t.Helper()
	if err := LoadError(); err != nil {
		t.Fatalf("message catalogue does not load: %v", err)
	}
	en, zh = Messages("en"), Messages("zh")
	if en.Lang != "en" || zh.Lang != "zh" {
		t.Fatalf("Messages returned languages %q and %q, want en and zh", en.Lang, zh.Lang)
	}
	return en, zh
}

func catalogHasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func catalogPlaceholders(s string) []string {
	set := map[string]bool{}
	for _, p := range catalogPlaceholder.FindAllString(s, -1) {
		set[p] = true
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func TestCatalogBothLanguagesLoad(t *testing.T) {
	en, zh := catalogLoaded(t)
	if len(en.Keys()) == 0 || len(zh.Keys()) == 0 {
		t.Fatalf("empty catalogue: en has %d keys, zh has %d", len(en.Keys()), len(zh.Keys()))
	}
	if got := Messages("fr"); got != en {
		t.Errorf("Messages(\"fr\") returned %q, want the English catalogue", got.Lang)
	}
}

func TestCatalogSameKeysInEnglishAndChinese(t *testing.T) {
	en, zh := catalogLoaded(t)
	var missing, extra []string
	for _, k := range en.Keys() {
		if !zh.Has(k) {
			missing = append(missing, k)
		}
	}
	for _, k := range zh.Keys() {
		if !en.Has(k) {
			extra = append(extra, k)
		}
	}
	if len(missing) > 0 {
		t.Errorf("keys in English but missing from Chinese (%d): %s", len(missing), strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		t.Errorf("keys in Chinese but not in English (%d): %s", len(extra), strings.Join(extra, ", "))
	}
}

func TestCatalogSamePlaceholdersInEnglishAndChinese(t *testing.T) {
	en, zh := catalogLoaded(t)
	for _, k := range en.Keys() {
		if !zh.Has(k) {
			continue // reported by TestCatalogSameKeysInEnglishAndChinese
		}
		pe, pz := catalogPlaceholders(en.T(k)), catalogPlaceholders(zh.T(k))
		if strings.Join(pe, " ") != strings.Join(pz, " ") {
			t.Errorf("%s: placeholders differ: en %v, zh %v", k, pe, pz)
		}
	}
}

// TestCatalogChineseIsTranslated catches English text left in the Chinese
// catalogue: a Chinese message without any Han character may only hold code
// (function calls, state names, sysctls), never two English words in a row.
func TestCatalogChineseIsTranslated(t *testing.T) {
	_, zh := catalogLoaded(t)
	words := regexp.MustCompile(`\b[a-z]{2,} [a-z]{2,}\b`)
	for _, k := range zh.Keys() {
		s := zh.T(k)
		if !catalogHasHan(s) && words.MatchString(s) {
			t.Errorf("%s looks untranslated: %q", k, s)
		}
	}
}

func TestCatalogLookupAndPlaceholders(t *testing.T) {
	en, zh := catalogLoaded(t)
	if got := zh.T("side.client"); got != "客户端" {
		t.Errorf("zh side.client = %q, want 客户端", got)
	}
	if got := zh.T("side.server"); got != "服务器" {
		t.Errorf("zh side.server = %q, want 服务器", got)
	}
	if got := en.Side(model.Client); got != "client" {
		t.Errorf("en Side(Client) = %q, want client", got)
	}
	if got := zh.Side(model.Server); !catalogHasHan(got) {
		t.Errorf("zh Side(Server) = %q, want Chinese", got)
	}

	got := en.T("rule.13", "side", "client")
	if strings.Contains(got, "{side}") || !strings.Contains(got, "the client sends the last ACK") {
		t.Errorf("en rule.13 with side=client = %q: placeholder not filled", got)
	}
	got = zh.T("rule.13", "side", zh.T("side.client"))
	if strings.Contains(got, "{side}") || !strings.Contains(got, "客户端") {
		t.Errorf("zh rule.13 with side=客户端 = %q: placeholder not filled", got)
	}
	got = en.T("send.fin", "side", "server", "flags", "[F.]", "seq", 5001, "ack", 1002)
	if want := "server sends its FIN ([F.] seq=5001 ack=1002)"; !strings.Contains(got, want) {
		t.Errorf("en send.fin = %q, want it to contain %q", got, want)
	}
	if got := en.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key gives %q, want the key itself", got)
	}
}

func TestLoadCatalogMalformedLineNamesFileAndLine(t *testing.T) {
	fsys := fstest.MapFS{
		"m/engine.txt": {Data: []byte("# comment\n\nok = fine\nthis line has no equals sign\n")},
	}
	_, err := LoadCatalog("xx", fsys, "m")
	if err == nil {
		t.Fatal("LoadCatalog accepted a line without '='")
	}
	if !strings.Contains(err.Error(), "m/engine.txt:4") {
		t.Errorf("error %q does not name m/engine.txt:4", err)
	}
}

func TestLoadCatalogDuplicateKeyAcrossFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"m/a.txt": {Data: []byte("side.client = client\n")},
		"m/b.txt": {Data: []byte("# other part\nside.client = customer\n")},
	}
	_, err := LoadCatalog("xx", fsys, "m")
	if err == nil {
		t.Fatal("LoadCatalog accepted a key defined in two files")
	}
	if !strings.Contains(err.Error(), "side.client") || !strings.Contains(err.Error(), "m/b.txt:2") {
		t.Errorf("error %q should name the key side.client and m/b.txt:2", err)
	}
}

func TestLoadCatalogGoodFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"m/a.txt":     {Data: []byte("# c\n  greet =  hello {who}  \n")},
		"m/b.txt":     {Data: []byte("eq = a = b\n")},
		"m/notes.md":  {Data: []byte("not a catalogue file\n")},
		"other/c.txt": {Data: []byte("broken\n")},
	}
	c, err := LoadCatalog("xx", fsys, "m")
	if err != nil {
		t.Fatalf("LoadCatalog: %v", err)
	}
	if got := strings.Join(c.Keys(), ","); got != "eq,greet" {
		t.Errorf("keys = %s, want eq,greet", got)
	}
	if got := c.T("greet", "who", "world"); got != "hello world" {
		t.Errorf("greet = %q, want %q", got, "hello world")
	}
	if got := c.T("eq"); got != "a = b" {
		t.Errorf("eq = %q, want text after the first '='", got)
	}
}

// catalogModelKeys scans the model's source for the message keys it emits.
func catalogModelKeys(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("../model/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no model sources found: %v", err)
	}
	lit := regexp.MustCompile(`"((?:send|in|notify|app|drop|expire|err|linux|param|scn)\.[A-Za-z0-9_.-]+|rule\.24\.tw)"`)
	keys := map[string][]string{} // key -> where it was seen
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = append(keys[m[1]], filepath.Base(f))
		}
	}
	for _, tr := range model.Rules() {
		keys[tr.NoteKey()] = append(keys[tr.NoteKey()], "model.Rules")
	}
	kinds := []model.TimerKind{model.TimerRetransmit, model.TimerDelayedACK, model.TimerTimeWait, model.TimerFinWait2, model.TimerKeepalive}
	var names []string
	for _, k := range kinds {
		names = append(names, k.String())
		for _, p := range []string{"timer.", "timer_fire.", "timer_stop."} {
			keys[p+k.String()] = append(keys[p+k.String()], "timer kinds")
		}
	}
	if got, want := strings.Join(names, " "), "retransmit delayed-ack time-wait fin-wait-2 keepalive"; got != want {
		t.Errorf("timer kind names are %q, want %q", got, want)
	}
	return keys
}

func TestCatalogHasEveryModelKey(t *testing.T) {
	en, zh := catalogLoaded(t)
	keys := catalogModelKeys(t)
	// Guard against a scan that silently finds nothing.
	for _, k := range []string{"send.fin", "in.tw_fin", "notify.eof", "app.close", "drop.lost", "expire.msl", "err.unknown", "linux.msl", "rule.24.tw", "rule.13", "param.reason.out_of_range", "param.note.tw_reuse", "scn.err.load_count", "scn.rule.flag"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("scan of ../model did not find %s", k)
		}
	}
	if len(keys) < 100 {
		t.Errorf("scan found only %d keys; the regexp or the model layout changed", len(keys))
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		for _, c := range []*Catalog{en, zh} {
			if !c.Has(k) {
				t.Errorf("%s catalogue lacks %s (used in %s)", c.Lang, k, strings.Join(catalogUniq(keys[k]), ", "))
			}
		}
	}
}

func catalogUniq(s []string) []string {
	sort.Strings(s)
	out := s[:0:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// The model words its scenario and fault-rule errors in English from its own
// table (for Error); the catalogues must define every one of its keys, and
// the English catalogue must say exactly the same.
func TestCatalogHasEveryAuthoringKey(t *testing.T) {
	en, zh := catalogLoaded(t)
	keys := model.AuthoringKeys()
	if len(keys) < 30 {
		t.Fatalf("model.AuthoringKeys lists only %d keys", len(keys))
	}
	for _, k := range keys {
		for _, c := range []*Catalog{en, zh} {
			if !c.Has(k) {
				t.Errorf("%s catalogue lacks %s (model.AuthoringKeys)", c.Lang, k)
			}
		}
		if got, want := en.T(k), (&model.Msg{Key: k}).Error(); got != want {
			t.Errorf("%s: the English catalogue says %q, the model's table %q", k, got, want)
		}
	}
}
