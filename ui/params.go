package ui

import (
	"errors"
	"strconv"
	"strings"

	"finwait/lessons"
	"finwait/model"
)

// allowedText words what a setting allows (model.Allowed, which is data)
// in cat's language: "0s to 10s", "on or off", "0s 到 10s", "on 或 off".
func allowedText(cat *lessons.Catalog, a model.Allowed) string {
	var s string
	switch a.Kind {
	case "bool", "enum":
		s = strings.Join(a.Values, " "+cat.T("param.or")+" ")
	default:
		s = cat.T("param.allowed."+a.Kind, "min", a.Min, "max", a.Max, "ref", a.Ref,
			"min_pct", percent(a.Min), "max_pct", percent(a.Max))
	}
	if a.Note != "" {
		s = cat.T(a.Note, "range", s)
	}
	return s
}

// percent writes a fraction such as "0.5" as a percentage, "50%".
func percent(frac string) string {
	x, err := strconv.ParseFloat(frac, 64)
	if err != nil {
		return frac
	}
	return strconv.FormatFloat(x*100, 'f', -1, 64) + "%"
}

// paramErrorText words a refused setting in cat's language: which
// setting, why, and what it allows. In English it reads as pe.Error().
func paramErrorText(cat *lessons.Catalog, pe *model.ParamError) string {
	if pe.Name == "" {
		return cat.T("param.err.unknown", "name", strconv.Quote(pe.Value), "list", strings.Join(model.ParamNames(), ", "))
	}
	allowed := allowedText(cat, pe.Allowed)
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

// errorText is err for people: a *model.ParamError in it, bare or inside
// a scenario or lesson error (file:line: ...), is worded in cat's language;
// the rest of the message is kept as it is.
func errorText(cat *lessons.Catalog, err error) string {
	var pe *model.ParamError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	s, english := err.Error(), pe.Error()
	if before, after, ok := strings.Cut(s, english); ok {
		return before + paramErrorText(cat, pe) + after
	}
	return paramErrorText(cat, pe)
}
