package lessons

import (
	"errors"
	"strconv"
	"strings"

	"finwait/model"
)

// AllowedText words what a setting allows (model.Allowed, which is data)
// in cat's language: "0s to 10s", "on or off", "0s 到 10s", "on 或 off".
func AllowedText(cat *Catalog, a model.Allowed) string {
	var s string
	switch a.Kind {
	case "bool", "enum":
		s = strings.Join(a.Values, " "+cat.T("param.or")+" ")
	default:
		s = cat.T("param.allowed."+a.Kind, "min", a.Min, "max", a.Max, "ref", a.Ref,
			"min_pct", model.Percent(a.Min), "max_pct", model.Percent(a.Max))
	}
	if a.Note != "" {
		s = cat.T(a.Note, "range", s)
	}
	return s
}

// ParamErrorText words a refused setting in cat's language: which
// setting, why, and what it allows. In English it reads as pe.Error().
func ParamErrorText(cat *Catalog, pe *model.ParamError) string {
	if pe.Name == "" {
		return cat.T("param.err.unknown", "name", strconv.Quote(pe.Value), "list", strings.Join(model.ParamNames(), ", "))
	}
	allowed := AllowedText(cat, pe.Allowed)
	if pe.ReasonKey == "" {
		return cat.T("param.err.invalid", "name", pe.Name, "value", pe.Value, "allowed", allowed)
	}
	args := make([]any, 0, len(pe.ReasonArgs))
	for _, a := range pe.ReasonArgs {
		args = append(args, a)
	}
	return cat.T("param.err.refused", "name", pe.Name, "value", pe.Value,
		"reason", cat.T(pe.ReasonKey, args...), "allowed", allowed)
}

// ErrorText is err for people, in cat's language. The errors of settings,
// scenario files, fault rules and lesson files are data (a
// *model.ParamError, *model.RuleError, *model.Msg or *Msg, inside a
// *model.ScenarioError or *LessonError that keeps the file:line),
// worded here from the catalogues. Another error around one of them keeps
// the rest of its message as it is; in English the text is err.Error().
func ErrorText(cat *Catalog, err error) string {
	switch e := err.(type) {
	case nil:
		return ""
	case *model.ParamError:
		return ParamErrorText(cat, e)
	case *model.RuleError:
		return cat.T("scn.err.rule", "rule", strconv.Quote(e.Rule), "reason", cat.T(e.ReasonKey, msgArgs(cat, e.ReasonArgs)...))
	case *model.Msg:
		return cat.T(e.Key, msgArgs(cat, e.Args)...)
	case *Msg:
		return cat.T(e.Key, msgArgs(cat, e.Args)...)
	case *model.ScenarioError:
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + ErrorText(cat, e.Err)
	case *LessonError:
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + ErrorText(cat, e.Err)
	}
	if inner := errors.Unwrap(err); inner != nil {
		s, english := err.Error(), inner.Error()
		if before, after, ok := strings.Cut(s, english); ok {
			return before + ErrorText(cat, inner) + after
		}
	}
	return err.Error()
}

// msgArgs are a message's placeholders with the errors among their values
// worded in cat's language.
func msgArgs(cat *Catalog, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if e, ok := a.(error); ok && i%2 == 1 {
			a = ErrorText(cat, e)
		}
		out[i] = a
	}
	return out
}
