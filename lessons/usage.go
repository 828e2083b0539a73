package lessons

import "finwait/assets"

// Usage returns the command line's usage text (finwait help) in lang ("en"
// or "zh"); any other language gets English. It lives in usage/LANG.txt, not
// in the catalogue, whose lines hold one message each.
func Usage(lang string) string {
	b, err := assets.FS.ReadFile("usage/" + lang + ".txt")
	if err != nil {
		b, _ = assets.FS.ReadFile("usage/en.txt")
	}
	return string(b)
}
