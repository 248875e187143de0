// Package cases owns case files (案件): filing with gap-free numbers, the
// handling officers, the facts the workflow reads, the timeline
// (全过程记录) and evidence. The rules themselves live in internal/workflow
// and internal/deadline; this package loads facts, asks them, and writes the
// result in one transaction per user action.
package cases

import (
	"strings"
	"time"
	"unicode/utf8"

	"zhifa/internal/database"
	"zhifa/internal/deadline"
	"zhifa/internal/filestore"
	"zhifa/internal/refcache"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// Sources of a case (案件来源).
var Sources = []Option{
	{"patrol", "日常巡查"}, {"complaint", "投诉举报"}, {"assigned", "上级交办"},
	{"transferred_in", "部门移送"}, {"monitoring", "技术监控/无人机"},
}

// EvidenceKinds are the kinds of evidence of APL art. 46.
var EvidenceKinds = []Option{
	{"documentary", "书证"}, {"physical", "物证"}, {"audiovisual", "视听资料"}, {"electronic", "电子数据"},
	{"witness", "证人证言"}, {"party_statement", "当事人陈述"}, {"expert_opinion", "鉴定意见"},
	{"inspection_record", "勘验笔录"}, {"scene_record", "现场笔录"},
}

// Option is a value and its Chinese label.
type Option struct{ Value, Label string }

// Label finds the label of v among opts.
func Label(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// Officer is a handling officer of a case.
type Officer struct {
	UserID      int64      `db:"user_id"`
	DisplayName string     `db:"display_name"`
	Lead        bool       `db:"lead"`
	CertNumber  string     `db:"cert_number"`
	RecusedOn   *time.Time `db:"recused_on"`
}

// Case is a case file as its page shows it.
type Case struct {
	ID             int64              `db:"id"`
	TownID         int64              `db:"town_id"`
	TownName       string             `db:"town_name"`
	Procedure      workflow.Procedure `db:"procedure"`
	State          workflow.State     `db:"state"`
	StateEnteredOn time.Time          `db:"state_entered_on"`
	ItemID         int64              `db:"item_id"`
	ItemName       string             `db:"item_name"`
	ItemKind       string             `db:"item_kind"`
	Domain         string             `db:"domain"`
	Number         *string            `db:"number"`
	Source         string             `db:"source"`
	PartyKind      string             `db:"party_kind"`
	PartyName      string             `db:"party_name"`
	PartyIDNumber  string             `db:"party_id_number"`
	PartyPhone     string             `db:"party_phone"`
	PartyAddress   string             `db:"party_address"`
	PartyLegalRep  string             `db:"party_legal_rep"`
	PlaceVillage   string             `db:"place_village"`
	PlaceAddress   string             `db:"place_address"`
	ActOn          time.Time          `db:"act_on"`
	DiscoveredOn   time.Time          `db:"discovered_on"`
	SeriousHarm    bool               `db:"serious_harm"`
	ContinuingAct  bool               `db:"continuing_act"`
	FiledOn        *time.Time         `db:"filed_on"`
	FilingAsked    *time.Time         `db:"filing_requested_on"`
	FilingApprover *int64             `db:"filing_approved_by"`
	Facts          string             `db:"facts"`
	Version        int                `db:"version"`
	CreatedAt      time.Time          `db:"created_at"`
	SuspendedSince *time.Time         `db:"suspended_since"`
	Extensions     int                `db:"extensions"`

	ProposedPenalties []Penalty  `db:"proposed_penalties"`
	ProposalTier      string     `db:"proposal_tier"`
	ProposalReasoning string     `db:"proposal_reasoning"`
	MitigationGround  string     `db:"mitigation_ground"`
	ProposedOn        *time.Time `db:"proposed_on"`
	ProposalNoPenalty bool       `db:"proposal_no_penalty"`

	ReviewSubmittedOn *time.Time `db:"review_submitted_on"`
	ReviewedBy        *int64     `db:"reviewed_by"`
	ReviewedOn        *time.Time `db:"reviewed_on"`
	ReviewOpinion     string     `db:"review_opinion"`
	ReviewedPenalties []Penalty  `db:"reviewed_penalties"`
	ReviewCount       int        `db:"review_count"`

	NoticeServedOn    *time.Time `db:"notice_served_on"`
	NoticeFineFen     int64      `db:"notice_fine_fen"`
	NoticeText        string     `db:"notice_text"`
	NoticePenalties   []Penalty  `db:"notice_penalties"`
	NoticeCount       int        `db:"notice_count"`
	RenoticeHeavier   bool       `db:"renotice_heavier"`
	HearingRight      bool       `db:"hearing_right"`
	StatementWaived   bool       `db:"statement_waived"`
	HearingWaived     bool       `db:"hearing_waived"`
	HearingRequested  *time.Time `db:"hearing_requested_on"`
	HearingNoticeOn   *time.Time `db:"hearing_notice_served_on"`
	HearingOn         *time.Time `db:"hearing_on"`
	HearingPlace      string     `db:"hearing_place"`
	HearingChair      *int64     `db:"hearing_chair"`
	HearingChairName  string     `db:"hearing_chair_name"`
	HearingPublic     bool       `db:"hearing_public"`
	HearingPrivate    string     `db:"hearing_private_reason"`
	HearingOutcome    string     `db:"hearing_outcome"`
	HearingAttend     string     `db:"hearing_attendance"`
	HearingTranscript string     `db:"hearing_transcript"`
	HearingScan       *int64     `db:"hearing_transcript_evidence"`
	HearingHeld       *time.Time `db:"hearing_held_on"`
	HearingAgents     string     `db:"hearing_agents"` // the party's 委托代理人, "、"-joined (APL art. 64(5))

	// The party's request that the hearing chair step aside (APL art.
	// 64(4)) and the head's decision; the latest one (the timeline keeps
	// all). RecusedChairs may not chair this case's hearing again.
	ChairRecusalOn      *time.Time `db:"chair_recusal_requested_on"`
	ChairRecusalChair   string     `db:"chair_recusal_chair_name"`
	ChairRecusalReason  string     `db:"chair_recusal_reason"`
	ChairRecusalDecided *time.Time `db:"chair_recusal_decided_on"`
	ChairRecusalGranted *bool      `db:"chair_recusal_granted"`
	ChairRecusalNote    string     `db:"chair_recusal_note"`
	RecusedChairs       []int64    `db:"recused_chairs"`

	DiscussionOn           *time.Time `db:"discussion_on"`
	DiscussionParticipants string     `db:"discussion_participants"`
	DiscussionConclusion   string     `db:"discussion_conclusion"`
	DiscussionMembers      []int64    `db:"discussion_members"` // the accounts of the heads and leaders who sat

	DecidedOn        *time.Time   `db:"decided_on"`
	DecidedBy        *int64       `db:"decided_by"`
	Penalties        []Penalty    `db:"penalties"`
	DecisionBasis    string       `db:"decision_basis"`
	FineFen          int64        `db:"fine_fen"`
	HasOrder         bool         `db:"has_order"`
	SpotTold         bool         `db:"spot_told"`
	SpotStatement    string       `db:"spot_statement"`
	RefusedToSign    bool         `db:"refused_to_sign"`
	OrderDoneOn      *time.Time   `db:"order_done_on"`
	EnforcementOn    *time.Time   `db:"enforcement_applied_on"`
	EnforcementCourt string       `db:"enforcement_court"`
	DemandServedOn   *time.Time   `db:"demand_served_on"`
	DecisionServedOn *time.Time   `db:"decision_served_on"`
	ServiceMethod    string       `db:"service_method"`
	ServiceProof     string       `db:"service_proof"`
	DueOverride      *time.Time   `db:"payment_due_override"`
	DeferralNote     string       `db:"deferral_note"`
	Instalments      []Instalment `db:"instalments"`
	ClosedOn         *time.Time   `db:"closed_on"`
	OutcomeReason    string       `db:"outcome_reason"`
	NoPenaltyKind    string       `db:"no_penalty_kind"`
	Education        string       `db:"education"`
	TransferBody     string       `db:"transfer_body"`
	TransferAsked    *time.Time   `db:"transfer_proposed_on"`
	TransferReceipt  *time.Time   `db:"transfer_receipt_on"`
	RulingOn         *time.Time   `db:"enforcement_ruling_on"`
	RulingGranted    *bool        `db:"enforcement_granted"`
	Ruling           string       `db:"enforcement_ruling"`
	ReceiptText      string       `db:"transfer_receipt"`

	// 强制拆除 (AEL art. 44): the 公告 with the party's own deadline, then
	// the forced demolition under a 行政强制 item of the town's list.
	DemolitionAnnouncedOn *time.Time `db:"demolition_announced_on"`
	DemolitionDeadline    *time.Time `db:"demolition_deadline"`
	DemolitionNotice      string     `db:"demolition_notice"`
	DemolishedOn          *time.Time `db:"demolished_on"`
	DemolitionItem        string     `db:"demolition_item"` // code and name of the 行政强制 item, "" before
	DemolitionRecord      string     `db:"demolition_record"`

	Officers      []Officer           `db:"-"`
	Events        []Event             `db:"-"`
	Statements    []Statement         `db:"-"`
	Payments      []Payment           `db:"-"`
	Suspensions   []Suspension        `db:"-"`
	Evidence      []Evidence          `db:"-"`
	Remedies      []Remedy            `db:"-"`
	Reviews       []Review            `db:"-"`
	Notices       []Notice            `db:"-"`
	Recusals      []Recusal           `db:"-"`
	Preservations []Preservation      `db:"-"`
	Deadlines     []deadline.Deadline `db:"-"`
	Choices       []Choice            `db:"-" json:"-"` // for the actor who loaded it
	PaidFen       int64               `db:"-"`          // fine paid, reversals netted
	SurchargeFen  int64               `db:"-"`          // surcharge recorded on payments
	SurchargeDue  int64               `db:"-"`          // surcharge accrued on what is still owed, today
	PaymentDueOn  time.Time           `db:"-"`          // the payment deadline (deferral included); zero if none
	ItemRange     string              `db:"-"`          // the item's legal penalties for this party
	// The item's legal basis as the town's list in force on the filing
	// date carries it (read by Load, for the documents).
	ViolationBasis string `db:"-"`
	PenaltyBasis   string `db:"-"`
	// MajorReason is why the decision must be filed with the county as a
	// major one ("" when it need not be; read by Load).
	MajorReason string `db:"-"`
}

// NumberOrLead is the case number, or 待立案 for a lead.
func (c *Case) NumberOrLead() string {
	if c.Number == nil {
		return "（待立案）"
	}
	return *c.Number
}

// Handles reports whether user handles the case (and was not recused).
func (c *Case) Handles(userID int64) bool {
	for _, o := range c.Officers {
		if o.UserID == userID && o.RecusedOn == nil {
			return true
		}
	}
	return false
}

// ActiveOfficers are the handlers who were not recused.
func (c *Case) ActiveOfficers() []Officer {
	var out []Officer
	for _, o := range c.Officers {
		if o.RecusedOn == nil {
			out = append(out, o)
		}
	}
	return out
}

// Penalty is one penalty of a proposal, notice or decision, as data.
type Penalty struct {
	Kind      string `json:"kind"` // workflow.Kind*: warning, fine, confiscation, suspension, revocation, other, order
	AmountFen int64  `json:"amount_fen,omitempty"`
	Measure   string `json:"measure,omitempty"` // order: what to do, e.g. 补植树木60棵
	DueOn     string `json:"due_on,omitempty"`  // order: by when (YYYY-MM-DD)
	Note      string `json:"note,omitempty"`
}

// PenaltyKinds label the kinds of penalty.
var PenaltyKinds = []Option{{workflow.KindWarning, "警告"}, {workflow.KindFine, "罚款"},
	{workflow.KindConfiscation, "没收违法所得、没收非法财物"}, {workflow.KindSuspension, "暂扣许可证件、责令停产停业等"},
	{workflow.KindRevocation, "吊销许可证件"}, {workflow.KindOther, "其他"}, {workflow.KindOrder, "责令改正"}}

// Sanctions converts penalties for the workflow's comparisons.
func Sanctions(ps []Penalty) []workflow.Sanction {
	out := make([]workflow.Sanction, 0, len(ps))
	for _, p := range ps {
		out = append(out, workflow.Sanction{Kind: p.Kind, AmountFen: p.AmountFen})
	}
	return out
}

// FineOf is the total fine among ps.
func FineOf(ps []Penalty) int64 {
	var n int64
	for _, p := range ps {
		if p.Kind == workflow.KindFine {
			n += p.AmountFen
		}
	}
	return n
}

// Instalment is one part of an approved instalment plan.
type Instalment struct {
	DueOn     string `json:"due_on"` // YYYY-MM-DD
	AmountFen int64  `json:"amount_fen"`
}

// Review is one legal review (法制审核) with its checklist.
type Review struct {
	ID            int64        `db:"id"`
	ReviewerName  string       `db:"reviewer_name"`
	Qualification string       `db:"qualification"`
	ReviewedOn    time.Time    `db:"reviewed_on"`
	Outcome       string       `db:"outcome"`
	Checklist     []CheckPoint `db:"checklist"`
	Opinion       string       `db:"opinion"`
	Penalties     []Penalty    `db:"penalties"`
}

// CheckPoint is one point of the review checklist and its finding.
type CheckPoint struct {
	Point string `json:"point"`
	OK    bool   `json:"ok"`
	Note  string `json:"note,omitempty"`
}

// ReviewPoints are the points every legal review checks.
var ReviewPoints = []Option{{"subject", "主体"}, {"jurisdiction", "管辖"}, {"facts", "事实"}, {"evidence", "证据"},
	{"characterisation", "定性"}, {"basis", "依据"}, {"procedure", "程序"}, {"discretion", "裁量"}}

// ReviewOutcomes label the outcomes of a review.
var ReviewOutcomes = map[string]string{"passed": "通过", "returned": "退回补充调查", "failed": "不通过"}

// Notice is one notice of intended penalty served.
type Notice struct {
	ID           int64     `db:"id"`
	ServedOn     time.Time `db:"served_on"`
	Penalties    []Penalty `db:"penalties"`
	HearingRight bool      `db:"hearing_right"`
	Text         string    `db:"text"`
	At           time.Time `db:"at"`
}

// Recusal is a request for an officer to step aside and its decision.
type Recusal struct {
	ID           int64      `db:"id"`
	OfficerID    int64      `db:"officer_id"`
	OfficerName  string     `db:"officer_name"`
	RequestedOn  time.Time  `db:"requested_on"`
	RequestedBy  string     `db:"requested_by"`
	Reason       string     `db:"reason"`
	DecidedOn    *time.Time `db:"decided_on"`
	Granted      *bool      `db:"granted"`
	DecisionNote string     `db:"decision_note"`
	Replacement  string     `db:"replacement_name"`
}

// Preservation is a 先行登记保存 or 查封扣押.
type Preservation struct {
	ID        int64      `db:"id"`
	Kind      string     `db:"kind"`
	StartedOn time.Time  `db:"started_on"`
	Inventory string     `db:"inventory"`
	Approver  string     `db:"approver"`
	Extended  bool       `db:"extended"`
	EndedOn   *time.Time `db:"ended_on"`
	Disposal  string     `db:"disposal"`
	Item      string     `db:"item"` // a seizure's 行政强制 item: code and name ("" for 先行登记保存)

	// A sample (抽样取证, APL art. 56): how many, where kept.
	Quantity string `db:"quantity"`
	KeptAt   string `db:"kept_at"`
	// On the spot (AEL art. 18 for a seizure; presence for a sample): the
	// party notified, present or a witness, told and heard, and the title
	// of the 现场笔录 kept as evidence.
	PartyNotified  bool   `db:"party_notified"`
	PartyPresent   *bool  `db:"party_present"`
	Witness        string `db:"witness"`
	PartyTold      bool   `db:"party_told"`
	PartyStatement string `db:"party_statement"`
	SceneRecord    string `db:"scene_record"`

	// A seizure on the spot in an emergency (AEL art. 19): reported to the
	// head on ReportedOn, who approved it on ApprovedOn (Approver) or had
	// it released (EndedOn).
	Emergency  bool       `db:"emergency"`
	ReportedOn *time.Time `db:"reported_on"`
	ApprovedOn *time.Time `db:"approved_on"`
}

// Unreported says whether p is an emergency seizure not yet reported to
// the head: neither approved nor released by the head.
func (p Preservation) Unreported() bool { return p.Emergency && p.ReportedOn == nil }

// LateReport says whether an emergency seizure was reported to the head
// later than 24 hours after it, that is after the next day (AEL art. 19).
func (p Preservation) LateReport() bool {
	return p.Emergency && p.ReportedOn != nil && p.ReportedOn.After(p.StartedOn.AddDate(0, 0, 1))
}

// LateReportNote flags a late report.
const LateReportNote = "逾期报告（应在24小时内报告）"

// PreservationKinds label the kinds.
var PreservationKinds = map[string]string{PreservationRegister: "先行登记保存", PreservationSeize: "查封扣押", PreservationSample: "抽样取证"}

// Kinds of case_preservations rows.
const (
	PreservationRegister = "preserve" // 先行登记保存 (APL art. 56)
	PreservationSeize    = "seize"    // 查封扣押 (AEL art. 9)
	PreservationSample   = "sample"   // 抽样取证 (APL art. 56)
)

// Event is one entry of the timeline.
type Event struct {
	ID        int64      `db:"id"`
	At        time.Time  `db:"at"`
	OnDate    *time.Time `db:"on_date"` // the date the user declared, when it differs from At's day
	ActorName string     `db:"actor_name"`
	Action    string     `db:"action"`
	FromState string     `db:"from_state"`
	ToState   string     `db:"to_state"`
	Summary   string     `db:"summary"`
	Reason    string     `db:"reason"`
	// Changes are the old and new values of a correction (update_facts,
	// update_party): the record keeps what was corrected.
	Changes []Change `db:"changes"`
}

// Statement is a statement or defence of the party and its recheck.
type Statement struct {
	ID          int64      `db:"id"`
	ReceivedOn  time.Time  `db:"received_on"`
	Content     string     `db:"content"`
	Recheck     string     `db:"recheck"`
	RecheckedOn *time.Time `db:"rechecked_on"`
}

// Payment is a payment of the fine, or the reversal of a wrong one.
type Payment struct {
	ID           int64      `db:"id"`
	AmountFen    int64      `db:"amount_fen"`
	SurchargeFen int64      `db:"surcharge_fen"`
	PaidOn       time.Time  `db:"paid_on"`
	ReceiptNo    string     `db:"receipt_no"`
	Kind         string     `db:"kind"` // bank, on_spot
	Reverses     *int64     `db:"reverses"`
	Reason       string     `db:"reason"`
	HandedInOn   *time.Time `db:"handed_in_on"`
	Reversed     bool       `db:"reversed"`
	OnSpotGround string     `db:"onspot_ground"` // on_spot: "" (fine within the cap), OnSpotHardToCollect, OnSpotRemote
	OnSpotReason string     `db:"onspot_reason"`
}

// Suspension is a 中止 of the case.
type Suspension struct {
	ID        int64      `db:"id"`
	StartedOn time.Time  `db:"started_on"`
	Reason    string     `db:"reason"`
	ResumedOn *time.Time `db:"resumed_on"`
}

// Remedy is a reconsideration or lawsuit against the decision.
type Remedy struct {
	ID        int64      `db:"id"`
	Kind      string     `db:"kind"`
	FiledOn   time.Time  `db:"filed_on"`
	Outcome   string     `db:"outcome"`
	DecidedOn *time.Time `db:"decided_on"`
	Note      string     `db:"note"`
}

// Evidence is a piece of evidence (the file itself is fetched separately).
type Evidence struct {
	ID               int64      `db:"id"`
	Kind             string     `db:"kind"`
	Title            string     `db:"title"`
	Filename         string     `db:"filename"`
	ContentType      string     `db:"content_type"`
	SizeBytes        int64      `db:"size_bytes"`
	SHA256           string     `db:"sha256"`
	CollectedBy      string     `db:"collected_by"`
	CollectedOn      time.Time  `db:"collected_on"`
	UploadedAt       time.Time  `db:"uploaded_at"`
	SupersededAt     *time.Time `db:"superseded_at"`
	SupersededReason string     `db:"superseded_reason"`
	// What the file says of itself (internal/media): when and where the
	// photo or video was taken; nil when it does not say.
	TakenAt *time.Time `db:"taken_at"`
	GPSLat  *float64   `db:"gps_lat"`
	GPSLon  *float64   `db:"gps_lon"`
	GPSAlt  *float64   `db:"gps_alt"`
}

// Service runs cases.
type Service struct {
	DB    *database.DB
	Clock zhifa.Clock
	Docs  Documents       // records service on the documents the law ties to a step
	Files filestore.Store // evidence files, by SHA-256
	Ref   *refcache.Cache // settings and holidays for the case page; nil caches nothing
	// DueBatch is how many cases a batch of a due refresh holds; 0 is
	// dueBatchSize (tests make it small to run many batches).
	DueBatch int
}

// MaskID hides the middle of an ID number: 610924********1234.
func MaskID(s string) string { return mask(s, 6, 4) }

// MaskPhone hides the middle of a phone number: 138****5678.
func MaskPhone(s string) string { return mask(s, 3, 4) }

func mask(s string, head, tail int) string {
	r := []rune(s)
	if len(r) <= head+tail {
		if len(r) <= 2 {
			return strings.Repeat("*", len(r))
		}
		return string(r[:1]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1:])
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// localDate re-reads a DATE (decoded as UTC midnight) as a CST date.
func localDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zhifa.Local)
}

func localDatePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := localDate(*t)
	return &d
}

func dateOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return localDate(*t)
}

// Yuan formats fen as yuan: 3000元, 12.50元.
func Yuan(fen int64) string { return zhifa.Yuan(fen) }
