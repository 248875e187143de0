package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// Documents: issued means frozen, numbers are gap-free under parallel
// issuing, a wrong document is replaced (both kept), the county reads but
// does not issue, another town sees nothing, and the county's wording is
// versioned.

// correctionOrder are the officer's words of a 责令（限期）改正通知书.
var correctionOrder = url.Values{"measure": {"立即停止野外用火，清理火灾现场，补植树木60棵。"}, "due": {"2025年9月30日前"}}

// investigatingCase is a filed case under investigation, with its path.
func (a *app) investigatingCase(t *testing.T) string {
	t.Helper()
	path := a.filedCase(t, a.caseForm(twoHandlers...))
	mustAct(t, a.loginAs(t, "maoba-officer1"), path, "investigate", nil)
	return path
}

// issue posts the draft form with op=issue and returns the response.
func issue(c *client, path, kind string, fields url.Values) response {
	return c.post(path+"/documents/new/"+kind, with(fields, url.Values{"op": {"issue"}}))
}

// storedDocument is the frozen row of a document, read as the county.
func (a *app) storedDocument(t *testing.T, docPath string) (html, sum, number string) {
	t.Helper()
	id := docPath[strings.LastIndex(docPath, "/")+1:]
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT html, sha256, coalesce(number, '') FROM documents WHERE id = $1`, id).Scan(&html, &sum, &number)
	})
	return
}

func TestIssuedDocumentIsFrozen(t *testing.T) {
	a := newApp(t)
	officer := a.loginAs(t, "maoba-officer1")
	path := a.investigatingCase(t)

	res := issue(officer, path, "correction_order", correctionOrder)
	wantStatus(t, res, http.StatusSeeOther)
	docPath := res.location
	if !regexp.MustCompile(`^/cases/\d+/documents/\d+$`).MatchString(docPath) {
		t.Fatalf("issuing went to %q, want the document's page", docPath)
	}
	page := officer.get(docPath)
	wantStatus(t, page, http.StatusOK)
	body := text(page.body)
	for _, want := range []string{"责令（限期）改正通知书", "紫毛坝综执责改〔2025〕1号", "补植树木60棵", "已签发，待送达"} {
		if !strings.Contains(body, want) {
			t.Errorf("the issued document's page lacks %q: %.800s", want, body)
		}
	}
	html, sum, number := a.storedDocument(t, docPath)
	if h := sha256.Sum256([]byte(html)); hex.EncodeToString(h[:]) != sum {
		t.Errorf("stored SHA-256 %s is not the hash of the stored text", sum)
	}
	if number != "紫毛坝综执责改〔2025〕1号" {
		t.Errorf("number %q", number)
	}
	printed := officer.get(docPath + "/print")
	wantStatus(t, printed, http.StatusOK)
	if !strings.Contains(printed.body, html) {
		t.Error("the print view does not carry the stored text as issued")
	}

	// The party moves: the case is corrected, the issued notice is not.
	mustAct(t, officer, path, "update_party", url.Values{"party_name": {"王某某"}, "party_id_number": {"610924197001011234"},
		"party_phone": {"13800001234"}, "party_address": {"紫阳县毛坝镇新址村8组"}, "place_village": {"干沙村"}, "place_address": {"刘某住宅外"}})
	html2, sum2, _ := a.storedDocument(t, docPath)
	if html2 != html || sum2 != sum {
		t.Error("correcting the party changed an issued document")
	}
	if again := officer.get(docPath + "/print"); again.body != printed.body {
		t.Error("the print view of the issued document changed after the party was corrected")
	}
	if strings.Contains(html, "新址村") {
		t.Fatal("test premise: the old document already had the new address")
	}
	// A new draft of the same kind is made from the case as it is now.
	if draft := officer.get(path + "/documents/new/correction_order/preview"); !strings.Contains(draft.body, "王某某") {
		t.Errorf("a new draft does not show the corrected party: %.500s", text(draft.body))
	}

	// Under the app's own role, an issued document cannot be changed or
	// deleted, by its town or by the county administrator.
	townWrite := database.Settings{Scope: zhifa.ScopeTown, TownID: a.townID("maoba"), UserID: a.user("maoba-officer1").ID}
	for _, s := range []database.Settings{townWrite, {Scope: zhifa.ScopeCountyAdmin, UserID: a.user("county-admin").ID}} {
		err := a.inTx(s, func(tx pgx.Tx) error {
			_, err := tx.Exec(context.Background(), `UPDATE documents SET html = 'forged' WHERE number = $1`, number)
			return err
		})
		wantPgError(t, "UPDATE of an issued document as "+string(s.Scope), err, "42501", "permission denied")
		err = a.inTx(s, func(tx pgx.Tx) error {
			_, err := tx.Exec(context.Background(), `DELETE FROM documents WHERE number = $1`, number)
			return err
		})
		wantPgError(t, "DELETE of an issued document as "+string(s.Scope), err, "42501", "permission denied")
	}
	// Even the schema owner meets the trigger.
	_, err := a.owner().Exec(context.Background(), `UPDATE documents SET html = 'forged' WHERE number = $1`, number)
	wantPgError(t, "UPDATE of an issued document as the owner", err, "42501", "append-only")
}

func TestDocumentReplacedNotEdited(t *testing.T) {
	a := newApp(t)
	officer := a.loginAs(t, "maoba-officer1")
	path := a.investigatingCase(t)
	first := issue(officer, path, "correction_order", correctionOrder)
	wantStatus(t, first, http.StatusSeeOther)
	firstID := first.location[strings.LastIndex(first.location, "/")+1:]

	// Issuing the same document again is refused: it is replaced instead.
	again := issue(officer, path, "correction_order", correctionOrder)
	wantStatus(t, again, http.StatusUnprocessableEntity)
	if !strings.Contains(text(again.body), "本案已签发《责令（限期）改正通知书》") || !strings.Contains(again.body, "补植树木60棵") {
		t.Errorf("a second notice: want the refusal with the entries kept: %.800s", text(again.body))
	}
	// A replacement needs its reason.
	noReason := issue(officer, path, "correction_order", with(correctionOrder, url.Values{"supersedes": {firstID}}))
	wantStatus(t, noReason, http.StatusUnprocessableEntity)
	if !strings.Contains(text(noReason.body), "请说明替代原文书的原因") {
		t.Errorf("replacement without a reason: %.600s", text(noReason.body))
	}
	fixed := with(url.Values{"measure": {"立即停止野外用火，补植树木80棵。"}, "due": {"2025年10月15日前"},
		"supersedes": {firstID}, "reason": {"补植数量有误"}})
	second := issue(officer, path, "correction_order", fixed)
	wantStatus(t, second, http.StatusSeeOther)
	page := text(officer.get(second.location).body)
	for _, want := range []string{"紫毛坝综执责改〔2025〕2号", "本文书替代紫毛坝综执责改〔2025〕1号", "补植数量有误", "补植树木80棵"} {
		if !strings.Contains(page, want) {
			t.Errorf("the replacement lacks %q: %.800s", want, page)
		}
	}
	old := text(officer.get(first.location).body)
	if !strings.Contains(old, "已被替代") || !strings.Contains(old, "补植树木60棵") {
		t.Errorf("the replaced document is not kept as replaced: %.600s", old)
	}
	list := text(officer.get(path + "/documents").body)
	if strings.Count(list, "责令（限期）改正通知书") < 2 {
		t.Errorf("both documents should stay in the file: %.800s", list)
	}
}

// TestDocumentNumbersUnderParallelIssuing: officers of one town issue the
// same kind of document on eight cases at once; the numbers are 1..8, each
// once.
func TestDocumentNumbersUnderParallelIssuing(t *testing.T) {
	a := newApp(t)
	const n = 8
	paths := make([]string, n)
	for i := range paths {
		paths[i] = a.investigatingCase(t)
	}
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = a.loginAs(t, []string{"maoba-officer1", "maoba-leader"}[i%2])
	}
	var wg sync.WaitGroup
	results := make([]response, n)
	for i := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = issue(clients[i], paths[i], "correction_order", correctionOrder)
		}()
	}
	wg.Wait()
	var numbers []string
	for i, res := range results {
		if res.status != http.StatusSeeOther {
			t.Fatalf("issue %d: status %d: %.400s", i, res.status, text(res.body))
		}
		_, _, number := a.storedDocument(t, res.location)
		numbers = append(numbers, number)
	}
	sort.Slice(numbers, func(i, j int) bool {
		return len(numbers[i]) < len(numbers[j]) || len(numbers[i]) == len(numbers[j]) && numbers[i] < numbers[j]
	})
	for i, got := range numbers {
		if want := fmt.Sprintf("紫毛坝综执责改〔2025〕%d号", i+1); got != want {
			t.Errorf("numbers %v: want 1..%d without gaps or repeats", numbers, n)
			break
		}
	}
}

func TestDocumentRefusals(t *testing.T) {
	a := newApp(t)
	officer := a.loginAs(t, "maoba-officer1")
	path := a.investigatingCase(t)

	// A required box left empty: refused at the box, the other entries kept.
	res := issue(officer, path, "correction_order", url.Values{"measure": {"补植树木60棵"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(text(res.body), "签发前请填写“改正期限”") || !strings.Contains(res.body, "补植树木60棵") {
		t.Errorf("missing due date: %.600s", text(res.body))
	}
	// Nothing was numbered: the next number is still 1.
	ok := issue(officer, path, "correction_order", correctionOrder)
	wantStatus(t, ok, http.StatusSeeOther)
	if _, _, number := a.storedDocument(t, ok.location); number != "紫毛坝综执责改〔2025〕1号" {
		t.Errorf("after a refused issue the number is %q, want 1号", number)
	}

	// The county reads the document but issues nothing for the town.
	county := a.loginAs(t, "county-reviewer")
	wantStatus(t, county.get(ok.location), http.StatusOK)
	cres := issue(county, path, "transfer_letter", url.Values{"materials": {"x"}, "contact": {"y"}})
	wantStatus(t, cres, http.StatusForbidden)
	if !strings.Contains(text(cres.body), "文书由镇人民政府制作和签发，县级用户只能查阅") {
		t.Errorf("county issuing: %.400s", text(cres.body))
	}

	// Another town sees neither the document nor its print view, and its
	// database role reads no row of it.
	other := a.loginAs(t, "chengguan-officer1")
	for _, p := range []string{ok.location, ok.location + "/print", ok.location + "/receipt", path + "/documents"} {
		wantStatus(t, other.get(p), http.StatusNotFound)
	}
	u := a.user("chengguan-officer1")
	var seen int
	a.mustTx(database.Settings{Scope: zhifa.ScopeTown, TownID: a.townID("chengguan"), UserID: u.ID}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM documents`).Scan(&seen)
	})
	if seen != 0 {
		t.Errorf("城关镇 reads %d of 毛坝镇's documents", seen)
	}
}

// TestDocumentSettingsVersioned: the county administrator gives 毛坝镇 a new
// 机关代字 from today; documents issued from then on carry it, the one issued
// before keeps its number; a version cannot take effect in the past.
func TestDocumentSettingsVersioned(t *testing.T) {
	a := newApp(t)
	officer := a.loginAs(t, "maoba-officer1")
	admin := a.loginAs(t, "county-admin")
	p1 := a.investigatingCase(t)
	first := issue(officer, p1, "correction_order", correctionOrder)
	wantStatus(t, first, http.StatusSeeOther)

	page := admin.get("/settings/documents")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, `value="紫阳县人民政府"`) || !strings.Contains(page.body, `value="紫毛坝综执"`) {
		t.Fatalf("the settings form does not show the wording in force: %.800s", text(page.body))
	}
	form := url.Values{"reconsideration_body": {"紫阳县人民政府"}, "reconsideration_days": {"60"}, "court": {"紫阳县人民法院"},
		"litigation_months": {"6"}, "account_name": {"紫阳县财政局非税收入汇缴结算户"}, "account": {"2707 0000 1234"},
		"seal_text": {"（印章）"}, "retention_general": {"永久"}, "retention_summary": {"30年"}}
	form.Set("code_maoba", "紫毛执")
	form.Set("bank", "紫阳县农商银行毛坝支行")
	form.Set("note", "毛坝镇启用新代字")

	past := with(form)
	past.Set("effective_on", "2025-08-01")
	res := admin.post("/settings/documents", past)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(text(res.body), "生效日期不能早于今天") || !strings.Contains(res.body, "紫阳县农商银行毛坝支行") {
		t.Errorf("a past effective date: %.600s", text(res.body))
	}
	form.Set("effective_on", "2025-09-01")
	wantStatus(t, admin.post("/settings/documents", form), http.StatusSeeOther)
	if officerTry := officer.post("/settings/documents", form); officerTry.status != http.StatusForbidden {
		t.Errorf("an officer saving document settings: status %d", officerTry.status)
	}

	p2 := a.investigatingCase(t)
	second := issue(officer, p2, "correction_order", correctionOrder)
	wantStatus(t, second, http.StatusSeeOther)
	if _, _, n := a.storedDocument(t, second.location); n != "紫毛执责改〔2025〕2号" {
		t.Errorf("after the new version the number is %q, want 紫毛执责改〔2025〕2号", n)
	}
	if _, _, n := a.storedDocument(t, first.location); n != "紫毛坝综执责改〔2025〕1号" {
		t.Errorf("the earlier document's number changed to %q", n)
	}
	versions := text(admin.get("/settings/documents").body)
	if !strings.Contains(versions, "毛坝镇启用新代字") {
		t.Errorf("the version list lacks the new version: %.600s", versions)
	}
}

// townID is the id of the town with code.
func (a *app) townID(code string) int64 {
	a.t.Helper()
	var id int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id FROM towns WHERE code = $1`, code).Scan(&id)
	})
	return id
}
