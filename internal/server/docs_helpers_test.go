package server_test

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/doctype"
	"zhifa/internal/zhifa"
)

// Helpers for the documents (文书) of a case: the steps that serve a
// notice, a decision or a 催告 serve an issued document, so a test issues
// it first, as the officer would in “文书”.

// issueDoc makes and issues a document of kind for the case at casePath as
// c, with fields; a required field not given gets a placeholder. It returns
// the issued document's path.
func (a *app) issueDoc(t *testing.T, c *client, casePath, kind string, fields url.Values) string {
	t.Helper()
	m := doctype.Of(doctype.Kind(kind))
	if m == nil {
		t.Fatalf("no document kind %q", kind)
	}
	form := cloneValues(fields)
	for _, f := range m.Fields {
		if f.Required && form.Get(f.Name) == "" {
			form.Set(f.Name, "（测试）"+f.Label)
		}
	}
	form.Set("op", "issue")
	res := c.post(casePath+"/documents/new/"+kind, form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("issuing %s: status %d: %.900s", kind, res.status, text(res.body))
	}
	return res.location
}

// serveNotice issues the 行政处罚事先告知书 and serves it (serve_notice).
func (a *app) serveNotice(t *testing.T, c *client, path string, form url.Values) {
	t.Helper()
	a.issueDoc(t, c, path, string(doctype.Notice), nil)
	mustAct(t, c, path, "serve_notice", form)
}

// serveDecision issues the 行政处罚决定书 and serves it (serve), directly
// with the receipt signed unless form says otherwise.
func (a *app) serveDecision(t *testing.T, c *client, path string, form url.Values) {
	t.Helper()
	a.issueDoc(t, c, path, string(doctype.Decision), nil)
	v := url.Values{"method": {"直接送达"}, "service_proof": {"送达回证由当事人签收"}}
	for k, vs := range form {
		v[k] = vs
	}
	mustAct(t, c, path, "serve", v)
}

// serveDemand issues the 履行催告书 and serves it (serve_demand).
func (a *app) serveDemand(t *testing.T, c *client, path string, form url.Values) {
	t.Helper()
	a.issueDoc(t, c, path, string(doctype.Demand), nil)
	mustAct(t, c, path, "serve_demand", form)
}

// serviceRow is a service record (送达回证) as stored.
type serviceRow struct {
	method, recipient, relation, servers, witness, note string
	refused                                             bool
	servedOn                                            time.Time
}

// servicesOf reads the service records of the document at docPath
// (/cases/{id}/documents/{docID}) in the order they were recorded.
func (a *app) servicesOf(t *testing.T, docPath string) []serviceRow {
	t.Helper()
	id, err := strconv.ParseInt(path.Base(docPath), 10, 64)
	if err != nil {
		t.Fatalf("not a document path: %q", docPath)
	}
	var out []serviceRow
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT method, recipient, relation, servers, witness, note, refused, served_on
			FROM document_services WHERE document_id = $1 ORDER BY id`, id)
		var r serviceRow
		_, err := pgx.ForEachRow(rows, []any{&r.method, &r.recipient, &r.relation, &r.servers, &r.witness, &r.note, &r.refused, &r.servedOn},
			func() error { out = append(out, r); return nil })
		return err
	})
	return out
}

// docNumber is the 文号 of the issued document at docPath ("" for none).
func (a *app) docNumber(t *testing.T, docPath string) string {
	t.Helper()
	id, err := strconv.ParseInt(path.Base(docPath), 10, 64)
	if err != nil {
		t.Fatalf("not a document path: %q", docPath)
	}
	var n string
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT coalesce(number, '') FROM documents WHERE id = $1`, id).Scan(&n)
	})
	return n
}
