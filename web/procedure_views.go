package web

import (
	"strconv"

	"zhifa/internal/authority"
	"zhifa/internal/procedure"
)

// SettingsData is the procedure settings page.
type SettingsData struct {
	Defaults  []procedure.Setting // county defaults
	Overrides []procedure.Setting // per-domain values
	Domains   []authority.Domain
	CanEdit   bool
	// Edit is the default row form last submitted (its "key" says which
	// row), shown again with the typed value after an error.
	Edit *Form
	// Override is the per-domain form.
	Override *Form
}

// RowValue is what a default row's input shows: the typed value after a
// failed submit of that row, else the stored value.
func (d *SettingsData) RowValue(st *procedure.Setting) string {
	if d.Edit != nil && d.Edit.Get("key") == st.Key {
		return d.Edit.Get("value")
	}
	return st.Input()
}

// RowErr is the error of a default row, if that row was just submitted.
func (d *SettingsData) RowErr(st *procedure.Setting) string {
	if d.Edit != nil && d.Edit.Get("key") == st.Key {
		return d.Edit.Err("value")
	}
	return ""
}

// Default returns the county default of key, for comparison with an override.
func (d *SettingsData) Default(key string) *procedure.Setting {
	for i := range d.Defaults {
		if d.Defaults[i].Key == key {
			return &d.Defaults[i]
		}
	}
	return nil
}

// KeyOptions are the settings a domain may override, with the unit typed.
func (d *SettingsData) KeyOptions() []Option {
	var out []Option
	for _, st := range d.Defaults {
		if procedure.PerDomain(st.Key) {
			out = append(out, Option{st.Key, st.Label + "（" + st.InputUnit() + "）"})
		}
	}
	return out
}

// DomainOptions are the domains to choose from.
func (d *SettingsData) DomainOptions() []Option { return domainOptions(d.Domains) }

// HolidaysData is the holiday calendar of one year.
type HolidaysData struct {
	Year    int
	Days    []procedure.Holiday
	CanEdit bool
	Form    *Form // the add form
}

// Count counts the days of kind.
func (d *HolidaysData) Count(kind string) int {
	n := 0
	for _, h := range d.Days {
		if h.Kind == kind {
			n++
		}
	}
	return n
}

// YearHref links to another year's calendar.
func YearHref(year int) string { return "/settings/holidays?year=" + strconv.Itoa(year) }

// KindOptions are the kinds of calendar day.
func KindOptions() []Option {
	out := make([]Option, len(procedure.Kinds))
	for i, k := range procedure.Kinds {
		out[i] = Option{k.Value, k.Label}
	}
	return out
}
