package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestRangeIsTheListsOnTheFilingDate: a case is judged by the penalties its
// item carried on the town's list in force when it was filed (the list is
// frozen), not by a later edit of the catalogue; and only the kinds of
// penalty the item's basis provides may be proposed (APL art. 4).
func TestRangeIsTheListsOnTheFilingDate(t *testing.T) {
	a := newApp(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer := a.login("maoba-officer1")
	mustAct(t, officer, path, "investigate", nil)

	// The county raises ZY-LY-001's minimum fine in the catalogue after filing.
	if _, err := a.owner().Exec(t.Context(), `UPDATE catalogue_items SET fine_min_person_fen = 100000 WHERE code = 'ZY-LY-001'`); err != nil {
		t.Fatal(err)
	}
	base := url.Values{"tier": {"一般"}, "reasoning": {"情节一般"}}
	// 500 yuan is inside the 200–3000 yuan the list carried on the filing date.
	mustAct(t, officer, path, "propose", with(base, url.Values{"amount": {"500"}}))
	mustContain(t, officer.get(path), "拟处罚意见：罚款500元")
	// A licence revocation is not among the item's penalties.
	refused(t, officer, path, "propose", with(base, url.Values{"amount": {"500"}, "revocation": {"林木采伐许可证"}}),
		http.StatusUnprocessableEntity, "该事项的处罚依据没有“吊销许可证件”的处罚种类，不得适用（行政处罚法第四条）")
}
