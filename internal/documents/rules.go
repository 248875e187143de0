package documents

import (
	"zhifa/internal/cases"
	"zhifa/internal/doctype"
)

// rule is what a kind derives from the case: when it can be made, the
// defaults of the officer's fields, and anything else the layout needs.
// Each kind registers its rule in the file of its stage (rules_*.go).
type rule struct {
	// when says why the document cannot be made now ("" when it can).
	when func(c *cases.Case) string
	// defaults fill the officer's fields from the case.
	defaults func(d *Doc) map[string]string
	// prepare sets what the layout reads beyond the case (Doc.Hearing...).
	prepare func(d *Doc)
}

var rules = map[doctype.Kind]rule{}

func register(k doctype.Kind, r rule) {
	if doctype.Of(k) == nil {
		panic("documents: unknown kind " + string(k))
	}
	rules[k] = r
}

// filed is the common condition: a document of a case is made once it is filed.
func filed(c *cases.Case) string {
	if c.Number == nil {
		return "案件尚未立案，不能制作该文书。"
	}
	return ""
}

func rulesOf(k doctype.Kind) rule {
	r, ok := rules[k]
	if !ok {
		r = rule{when: filed}
	}
	if r.when == nil && k != doctype.SourceRegister {
		r.when = filed
	}
	return r
}
