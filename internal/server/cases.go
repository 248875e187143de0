package server

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"

	"zhifa/internal/cases"
	"zhifa/internal/officer"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

type caseKey struct{}

// caseCtx loads /cases/{caseID}; a case of another town is not found.
func (s *Server) caseCtx(next http.Handler) http.Handler {
	return loader(s, "caseID", "没有找到该案件。", caseKey{}, func(r *http.Request, id int64) (*cases.Case, error) {
		return s.Cases.Get(r.Context(), id)
	})(next)
}

func caseFrom(r *http.Request) *cases.Case { return r.Context().Value(caseKey{}).(*cases.Case) }

// caseFormPage is the filing form with the officers ticked in checked.
func (s *Server) caseFormPage(r *http.Request, checked []int64) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		a := zhifa.ActorFrom(r.Context())
		_, items, err := s.Authority.ListOn(r.Context(), a.TownID, s.Clock.Today())
		if err != nil && zhifa.ErrorCode(err) != zhifa.ENOTFOUND {
			s.Log.Error("town list for the filing form", "err", err)
		}
		officers, err := s.Officers.List(r.Context(), officer.Filter{})
		if err != nil {
			s.Log.Error("officers for the filing form", "err", err)
		}
		officers = slices.DeleteFunc(officers, func(o officer.Officer) bool { return !o.Active })
		villages, err := s.Towns.Villages(r.Context(), a.TownID)
		if err != nil {
			s.Log.Error("villages for the filing form", "err", err)
		}
		d := &web.CaseFormData{Form: f, Items: items, Officers: officers, Checked: map[int64]bool{}, Today: s.Clock.Today(),
			Villages: villages}
		for _, id := range checked {
			d.Checked[id] = true
		}
		if len(items) == 0 {
			f.Message = "本镇今日没有施行的执法事项清单，不能立案（清单之外无执法）。"
		}
		return web.CaseNewPage(s.page(r, "登记案件"), d)
	}
}

func (s *Server) newCaseForm(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	f := web.NewForm()
	today := web.Date(s.Clock.Today())
	f.Values = map[string]string{"procedure": "general", "source": "patrol", "party_kind": "person", "act_on": today, "discovered_on": today,
		"lead": strconv.FormatInt(a.UserID, 10), "idempotency_key": randomToken()}
	s.render(w, r, http.StatusOK, s.caseFormPage(r, []int64{a.UserID})(f))
}

var caseFields = []string{"procedure", "item", "source", "party_kind", "party_name", "party_id_number", "party_phone", "party_address",
	"party_legal_rep", "place_village", "place_address", "act_on", "discovered_on", "facts", "lead_only", "lead", "serious_harm", "continuing_act",
	"idempotency_key"}

func (s *Server) createCase(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	for _, k := range caseFields {
		f.Values[k] = r.PostFormValue(k)
	}
	v := f.Values
	officers := ids(r, "officer")
	in := cases.FileInput{Procedure: v["procedure"], ItemID: v["item"], Source: v["source"], PartyKind: v["party_kind"],
		PartyName: v["party_name"], PartyIDNumber: v["party_id_number"], PartyPhone: v["party_phone"], PartyAddress: v["party_address"],
		PartyLegalRep: v["party_legal_rep"], PlaceVillage: v["place_village"], PlaceAddress: v["place_address"], ActOn: v["act_on"],
		DiscoveredOn: v["discovered_on"], Facts: v["facts"], OfficerIDs: officers, LeadOnly: v["lead_only"] == "1",
		SeriousHarm: v["serious_harm"] == "1", ContinuingAct: v["continuing_act"] == "1"}
	in.LeadID, _ = strconv.ParseInt(v["lead"], 10, 64)
	in.IdempotencyKey = v["idempotency_key"]
	// The same form sent again (a retry after a lost reply, a double
	// click) goes to the case it filed, before or while it was filed.
	if done := s.filedBefore(w, r, in.IdempotencyKey); done {
		return
	}
	id, err := s.Cases.File(r.Context(), in)
	if err != nil {
		if done := s.filedBefore(w, r, in.IdempotencyKey); done {
			return
		}
		if !cases.IdempotencyKeyOK(v["idempotency_key"]) {
			v["idempotency_key"] = randomToken() // nothing was filed: the form keeps its key, or gets one
		}
		s.formError(w, r, err, f, s.caseFormPage(r, officers))
		return
	}
	msg := "案件已立案。"
	switch {
	case in.LeadOnly:
		msg = "案源已登记，待立案。"
	case zhifa.ActorFrom(r.Context()).Role != zhifa.RoleLeader && in.Procedure != "summary":
		msg = "案源已登记，已提交队长立案审批。"
	}
	s.redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), msg)
}

// filedBefore sends the user to the case their form's idempotency key
// already filed, reporting whether it did.
func (s *Server) filedBefore(w http.ResponseWriter, r *http.Request, key string) bool {
	id, err := s.Cases.FiledWith(r.Context(), key)
	if err != nil {
		s.Error(w, r, err)
		return true
	}
	if id == 0 {
		return false
	}
	s.redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), "该表单已提交过，案件已登记，未重复登记。")
	return true
}

// caseData builds the case page for the actor.
func (s *Server) caseData(r *http.Request, c *cases.Case) *web.CaseData {
	a := zhifa.ActorFrom(r.Context())
	d := &web.CaseData{Case: c, Today: s.Clock.Today(), ShowParty: true,
		CanUpload: (a.Role == zhifa.RoleOfficer || a.Role == zhifa.RoleLeader) && c.State.Open()}
	d.Transitions = c.Choices
	d.ItemRange = c.ItemRange
	docs, err := s.caseDocuments(r)
	if err != nil {
		s.Log.Error("documents for the case page", "err", err)
	}
	d.Docs = docs
	if c.DecidedOn != nil {
		if d.Filing, err = s.filings().ForCase(r.Context(), c.ID); err != nil {
			s.Log.Error("major filing for the case page", "err", err)
		}
	}
	d.Publication = s.casePublication(r, c) // 处罚决定公示 (publication.go)
	for i := range cases.Steps {
		if cases.StepAllowed(&cases.Steps[i], c, a) {
			d.Steps = append(d.Steps, cases.Steps[i])
		}
	}
	if slices.ContainsFunc(d.Steps, func(st cases.Step) bool {
		return st.Name == cases.StepPreserve || st.Name == cases.StepEmergencySeize || st.Name == cases.StepForceDemolition
	}) {
		d.CoercionItems = s.coercionItems(r, c.TownID)
	}
	if slices.ContainsFunc(d.Steps, func(st cases.Step) bool { return st.Name == cases.StepRecordDiscussion }) {
		members, err := s.Cases.DiscussionMembers(r.Context(), c.TownID)
		if err != nil {
			s.Log.Error("discussion members for the case page", "err", err)
		}
		for _, m := range members {
			d.DiscussionOptions = append(d.DiscussionOptions, web.Option{Value: strconv.FormatInt(m.UserID, 10), Label: m.Label()})
		}
	}
	if slices.ContainsFunc(d.Steps, func(st cases.Step) bool { return st.Name == cases.StepUpdateParty }) {
		villages, err := s.Towns.Villages(r.Context(), c.TownID)
		if err != nil {
			s.Log.Error("villages for the case page", "err", err)
		}
		d.Villages = villages
	}
	if len(d.Steps) > 0 && !a.Role.IsCounty() {
		staff, err := s.Officers.List(r.Context(), officer.Filter{})
		if err != nil {
			s.Log.Error("town staff for the case page", "err", err)
		}
		today := s.Clock.Today()
		for _, o := range staff {
			// Anyone who ever handled the case, recused or not, may neither
			// chair its hearing nor join it again.
			if !o.Active || slices.ContainsFunc(c.Officers, func(h cases.Officer) bool { return h.UserID == o.UserID }) {
				continue
			}
			// A chair recused at the party's request does not chair it again (APL art. 64(4)).
			if !slices.Contains(c.RecusedChairs, o.UserID) {
				d.ChairOptions = append(d.ChairOptions, web.Option{Value: strconv.FormatInt(o.UserID, 10), Label: o.DisplayName + "（" + o.Role.Label() + "）"})
			}
			if o.Certificate != nil && !o.Certificate.ValidFrom.After(today) && !o.Certificate.ValidUntil.Before(today) {
				d.ReplacementOptions = append(d.ReplacementOptions, web.Option{Value: strconv.FormatInt(o.UserID, 10), Label: o.DisplayName})
			}
		}
	}
	return d
}

// coercionItems are the 行政强制 items of the town's list in force today,
// for the seizure and demolition forms (清单之外无执法).
func (s *Server) coercionItems(r *http.Request, townID int64) []web.Option {
	_, items, err := s.Authority.ListOn(r.Context(), townID, s.Clock.Today())
	if err != nil {
		if zhifa.ErrorCode(err) != zhifa.ENOTFOUND {
			s.Log.Error("coercion items for the case page", "err", err)
		}
		return nil
	}
	var out []web.Option
	for _, it := range items {
		if it.Kind == cases.KindCoercion {
			out = append(out, web.Option{Value: strconv.FormatInt(it.ItemID, 10), Label: it.Code + " " + it.Name})
		}
	}
	return out
}

func (s *Server) showCase(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	s.render(w, r, http.StatusOK, web.CasePage(s.page(r, c.NumberOrLead()), s.caseData(r, c)))
}

var actionFields = []string{"reason", "receiving_body", "date", "method", "text", "amount", "receipt_no", "warning",
	"order_measure", "order_due", "confiscation", "suspension", "revocation", "other", "remedy_kind", "outcome", "tier", "reasoning",
	"mitigation", "no_penalty", "no_penalty_kind", "education", "spot_told", "spot_statement", "refused_to_sign", "service_proof",
	"hearing_on", "hearing_place", "hearing_chair", "hearing_private", "private_reason", "attendance", "transcript",
	"scan_evidence_id", "participants", "conclusion", "officer_id", "replacement_id", "recusal_id", "requested_by", "granted",
	"kind", "inventory", "disposal", "preservation_id", "payment_kind", "payment_id", "new_due", "instalments", "court", "confirm",
	"heavy_penalty", "statement_id", "remedy_id", "serious_harm", "continuing_act",
	"party_name", "party_id_number", "party_phone", "party_address", "party_legal_rep", "place_village", "place_address",
	"coercion_item_id", "demolition_deadline", "onspot_ground", "onspot_reason",
	"quantity", "kept_at", "party_notified", "party_present", "witness", "party_told", "party_statement", "record_evidence_id", "agents",
	"recipient", "relation", "servers", "refused", "note", "scan"}

func (s *Server) actOnCase(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	f := web.NewForm()
	for _, k := range actionFields {
		f.Values[k] = r.PostFormValue(k)
	}
	for _, p := range cases.ReviewPoints {
		f.Values["check_"+p.Value] = r.PostFormValue("check_" + p.Value)
		f.Values["note_"+p.Value] = r.PostFormValue("note_" + p.Value)
	}
	// The discussion's participants are ticked boxes: many values.
	in := actionInput(f.Values)
	in.DiscussionUsers = ids(r, "discussion_user")
	in.Executors = ids(r, "executor")
	f.Values["executor"] = strings.Join(r.PostForm["executor"], ",")
	f.Values["discussion_user"] = strings.Join(r.PostForm["discussion_user"], ",")
	in.Action = r.PostFormValue("action")
	in.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	if err := boundedText(f.Values); err != nil {
		s.caseActionFailed(w, r, c, in.Action, f, err)
		return
	}
	msg, err := s.Cases.Act(r.Context(), c.ID, in)
	if err != nil {
		s.caseActionFailed(w, r, c, in.Action, f, err)
		return
	}
	s.redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10), msg)
}

// actionInput reads an action form's values.
func actionInput(v map[string]string) cases.ActionInput {
	id := func(k string) int64 { n, _ := strconv.ParseInt(strings.TrimSpace(v[k]), 10, 64); return n }
	on := func(k string) bool { return v[k] == "1" }
	in := cases.ActionInput{Reason: v["reason"], ReceivingBody: v["receiving_body"], Date: v["date"], Method: v["method"],
		Text: v["text"], AmountYuan: v["amount"], ReceiptNo: v["receipt_no"], Warning: on("warning"), OrderMeasure: v["order_measure"],
		OrderDue: v["order_due"], Confiscation: v["confiscation"], Suspension: v["suspension"], Revocation: v["revocation"],
		Other: v["other"], HeavyPenalty: on("heavy_penalty"), StatementID: id("statement_id"), RemedyKind: v["remedy_kind"],
		RemedyID: id("remedy_id"), Outcome: v["outcome"], Tier: v["tier"], Reasoning: v["reasoning"], Mitigation: v["mitigation"],
		NoPenalty: on("no_penalty"), NoPenaltyKind: v["no_penalty_kind"], Education: v["education"], SpotTold: on("spot_told"),
		SpotStatement: v["spot_statement"], RefusedToSign: on("refused_to_sign"), ServiceProof: v["service_proof"],
		HearingOn: v["hearing_on"], HearingPlace: v["hearing_place"], HearingChair: id("hearing_chair"),
		HearingPrivate: on("hearing_private"), PrivateReason: v["private_reason"], Attendance: v["attendance"],
		Transcript: v["transcript"], ScanEvidenceID: id("scan_evidence_id"), Participants: v["participants"],
		Conclusion: v["conclusion"], OfficerID: id("officer_id"), ReplacementID: id("replacement_id"), RecusalID: id("recusal_id"),
		RequestedBy: v["requested_by"], Granted: v["granted"], Kind: v["kind"], Inventory: v["inventory"], Disposal: v["disposal"],
		PreservationID: id("preservation_id"), PaymentKind: v["payment_kind"], PaymentID: id("payment_id"), NewDue: v["new_due"], Instalments: v["instalments"],
		Court: v["court"], Confirm: on("confirm"), SeriousHarm: on("serious_harm"), ContinuingAct: on("continuing_act"),
		PartyName: v["party_name"], PartyIDNumber: v["party_id_number"], PartyPhone: v["party_phone"], PartyAddress: v["party_address"],
		PartyLegalRep: v["party_legal_rep"], PlaceVillage: v["place_village"], PlaceAddress: v["place_address"],
		Checklist: map[string]string{}, ChecklistNote: map[string]string{}}
	for _, p := range cases.ReviewPoints {
		in.Checklist[p.Value], in.ChecklistNote[p.Value] = v["check_"+p.Value], v["note_"+p.Value]
	}
	in.CoercionInput = cases.CoercionInput{CoercionItemID: id("coercion_item_id"), DemolitionDeadline: v["demolition_deadline"],
		OnSpotGround: v["onspot_ground"], OnSpotReason: v["onspot_reason"], Quantity: v["quantity"], KeptAt: v["kept_at"],
		PartyNotified: on("party_notified"), PartyPresent: v["party_present"], Witness: v["witness"], PartyTold: on("party_told"),
		PartyStatement: v["party_statement"], RecordEvidenceID: id("record_evidence_id")}
	in.NoticeInput = cases.NoticeInput{Agents: v["agents"]}
	// The 送达回证 of a serve step; its witness box shares the name of the
	// seizure's (each form sends its own).
	in.ServiceInput = cases.ServiceInput{Recipient: v["recipient"], Relation: v["relation"], Servers: v["servers"],
		ServiceWitness: v["witness"], ServiceNote: v["note"], Refused: on("refused"), ReceiptScanID: id("scan")}
	return in
}

// caseActionFailed shows the case page again with the error at the form
// that failed, the entries kept; conflicts show the fresh case.
func (s *Server) caseActionFailed(w http.ResponseWriter, r *http.Request, c *cases.Case, action string, f *web.Form, err error) {
	code := zhifa.ErrorCode(err)
	if code == zhifa.EINTERNAL || code == zhifa.ENOTFOUND {
		s.Error(w, r, err)
		return
	}
	if fresh, gerr := s.Cases.Get(r.Context(), c.ID); gerr == nil {
		c = fresh
	}
	if fe, ok := err.(zhifa.FieldErrors); ok {
		f.Errors = fe
	} else {
		f.Message = zhifa.ErrorMessage(err)
	}
	d := s.caseData(r, c)
	d.Form, d.FormAction = f, action
	if action == "evidence" && !d.CanUpload || action != "evidence" && !slices.ContainsFunc(d.Transitions, func(t cases.Choice) bool { return string(t.Action) == action && len(t.Missing) == 0 }) &&
		!slices.ContainsFunc(d.Steps, func(st cases.Step) bool { return string(st.Name) == action }) {
		d.FormAction = "" // the form is not on the page any more: show the message on top
		if fe, ok := err.(zhifa.FieldErrors); ok && f.Message == "" {
			f.Message = strings.Join(slices.Sorted(maps.Values(fe)), " ")
		}
	}
	s.render(w, r, statusOf[code], web.CasePage(s.page(r, c.NumberOrLead()), d))
}

// dueCases is the due list on the town roles' home pages.
func (s *Server) dueCases(r *http.Request) ([]cases.Row, error) {
	p, err := s.Cases.List(r.Context(), cases.ListFilter{Due: "soon", Limit: 20})
	if err != nil {
		return nil, err
	}
	return p.Rows, nil
}

// maxFieldRunes bounds any one box of an action form: a record's longest
// text (facts, a transcript summary, an opinion) fits, a pasted file does not.
const maxFieldRunes = 4000

// boundedText refuses any box longer than maxFieldRunes, naming it.
func boundedText(values map[string]string) error {
	fe := zhifa.FieldErrors{}
	for k, v := range values {
		if utf8.RuneCountInString(v) > maxFieldRunes {
			fe[k] = fmt.Sprintf("内容过长：每项不超过%d字。", maxFieldRunes)
		}
	}
	return fe.Err()
}
