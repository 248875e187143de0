package documents

import (
	"encoding/json"
	"fmt"

	"zhifa/internal/doctype"
)

// Frozen is the Doc an issued document was made from, as stored.
func (d *Issued) Frozen() (*Doc, error) {
	var out Doc
	if err := json.Unmarshal(d.Data, &out); err != nil {
		return nil, fmt.Errorf("data of document %d: %w", d.ID, err)
	}
	out.Meta = doctype.Of(out.Kind)
	return &out, nil
}

// Receipts are the 送达回证 of an issued document: one per service
// recorded, or a blank one to print for signature before it is served.
// They are made from the document as issued (its party and number), so a
// later correction of the case does not change them either.
func (d *Issued) Receipts() ([]*Doc, error) {
	base, err := d.Frozen()
	if err != nil {
		return nil, err
	}
	ref := &Ref{ID: d.ID, Title: d.Title, Number: d.NumberText()}
	mk := func(svc *ServiceRecord) *Doc {
		r := *base
		r.Kind, r.Meta = doctype.ServiceReceipt, doctype.Of(doctype.ServiceReceipt)
		r.Serves, r.Service, r.Supersedes, r.Fields = ref, svc, nil, map[string]string{}
		return &r
	}
	if len(d.Services) == 0 {
		return []*Doc{mk(nil)}, nil
	}
	out := make([]*Doc, 0, len(d.Services))
	for i := range d.Services {
		out = append(out, mk(&d.Services[i]))
	}
	return out, nil
}
