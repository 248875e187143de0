// Package doctype names the documents (文书) of a case: each kind, its title,
// its number code (文书类别代字), the stage it belongs to, whether it is
// external (numbered, sealed, served) and the fields an officer writes in
// his own words before issuing. It has no I/O, so the workflow's storage
// (internal/cases) and the documents themselves (internal/documents) can
// both speak of kinds without importing each other.
package doctype

// Kind is a type of document.
type Kind string

// The kinds, in procedure order (docs/glossary.md gives each term).
const (
	SourceRegister      Kind = "source_register"      // 案件来源登记表
	FilingApproval      Kind = "filing_approval"      // 立案审批表
	NoFilingApproval    Kind = "no_filing_approval"   // 不予立案审批表
	RevokeApproval      Kind = "revoke_approval"      // 撤销立案审批表
	TransferLetter      Kind = "transfer_letter"      // 案件移送函
	CrimeTransfer       Kind = "crime_transfer"       // 涉嫌犯罪案件移送书
	Inquiry             Kind = "inquiry"              // 询问笔录
	Inspection          Kind = "inspection"           // 现场检查（勘验）笔录
	CorrectionOrder     Kind = "correction_order"     // 责令（限期）改正通知书
	PreserveApproval    Kind = "preserve_approval"    // 先行登记保存证据审批表
	PreserveNotice      Kind = "preserve_notice"      // 先行登记保存证据通知书 (with its 清单)
	PreserveDecision    Kind = "preserve_decision"    // 先行登记保存证据处理决定书
	SeizeDecision       Kind = "seize_decision"       // 查封扣押决定书 (with its 清单)
	ReleaseDecision     Kind = "release_decision"     // 解除查封扣押决定书
	SuspendDecision     Kind = "suspend_decision"     // 中止调查决定书
	ResumeDecision      Kind = "resume_decision"      // 恢复调查决定书
	EvidenceNote        Kind = "evidence_note"        // 证据说明（照片、视听资料）
	InvestigationReport Kind = "investigation_report" // 调查终结报告
	HandlingApproval    Kind = "handling_approval"    // 案件处理审批表
	ReviewOpinion       Kind = "review_opinion"       // 法制审核意见书
	DiscussionRecord    Kind = "discussion_record"    // 集体讨论笔录
	Notice              Kind = "notice"               // 行政处罚事先告知书 (with or without hearing rights)
	StatementRecord     Kind = "statement_record"     // 陈述申辩笔录
	RecheckOpinion      Kind = "recheck_opinion"      // 复核意见
	HearingRightNotice  Kind = "hearing_right_notice" // 听证告知书
	HearingNotice       Kind = "hearing_notice"       // 听证通知书
	HearingRecord       Kind = "hearing_record"       // 听证笔录
	HearingReport       Kind = "hearing_report"       // 听证报告
	Decision            Kind = "decision"             // 行政处罚决定书
	NoPenaltyDecision   Kind = "no_penalty_decision"  // 不予行政处罚决定书
	SpotDecision        Kind = "spot_decision"        // 当场行政处罚决定书
	ServiceReceipt      Kind = "service_receipt"      // 送达回证 (made by recording a service)
	EServiceConsent     Kind = "e_service_consent"    // 送达地址确认书（电子送达确认书）
	DeferralApproval    Kind = "deferral_approval"    // 延期（分期）缴纳罚款审批表
	DeferralDecision    Kind = "deferral_decision"    // 延期（分期）缴纳罚款决定书
	Demand              Kind = "demand"               // 履行催告书
	EnforcementRequest  Kind = "enforcement_request"  // 强制执行申请书
	ClosingApproval     Kind = "closing_approval"     // 结案审批表
	MajorFiling         Kind = "major_filing"         // 重大行政处罚决定备案表
	DemolitionNotice    Kind = "demolition_notice"    // 强制拆除公告
	ExecutionDecision   Kind = "execution_decision"   // 行政强制执行决定书
	SeizureExtension    Kind = "seizure_extension"    // 延长查封扣押期限通知书
	SamplingRecord      Kind = "sampling_record"      // 抽样取证记录（凭证）
	RecusalDecision     Kind = "recusal_decision"     // 回避决定书
	ExtensionApproval   Kind = "extension_approval"   // 延长办案期限审批表
)

// Stage groups documents as the case page and the dossier show them.
type Stage int

const (
	StageFiling Stage = iota + 1
	StageInvestigation
	StageReview
	StageNotice
	StageDecision
	StageExecution
	StageClosing
)

// Label is the stage's Chinese name.
func (s Stage) Label() string {
	return [...]string{"", "受案立案", "调查取证", "审核决定前", "告知听证", "处罚决定", "送达执行", "结案归档"}[s]
}

// Field is a part of a document an officer writes (or checks) before issuing.
type Field struct {
	Name      string
	Label     string
	Multiline bool
	Required  bool
	Hint      string
	Check     bool // a box ticked ("1") or not, rather than words
}

// Meta describes a kind.
type Meta struct {
	Kind     Kind
	Title    string // the document's name as printed: 行政处罚决定书
	Code     string // 文书类别代字 of an external document (罚, 罚告...); "" for internal forms
	Stage    Stage
	External bool // numbered, sealed and served (送达回证)
	Many     bool // a case may hold several (inquiries, records, receipts) rather than one in force
	Fields   []Field
}

var (
	fOpinion     = Field{Name: "team_opinion", Label: "承办机构意见", Multiline: true, Required: true}
	fHeadOpinion = Field{Name: "head_opinion", Label: "负责人审批意见", Multiline: true, Hint: "负责人签署意见后签名；可在打印后手写"}
	fTimeStart   = Field{Name: "start", Label: "开始时间", Required: true, Hint: "如 2025年9月1日9时30分"}
	fTimeEnd     = Field{Name: "end", Label: "结束时间", Required: true}
	fPlace       = Field{Name: "place", Label: "地点", Required: true}
)

// All lists every kind in procedure order.
var All = []Meta{
	{SourceRegister, "案件来源登记表", "", StageFiling, false, false, []Field{
		{Name: "summary", Label: "案情摘要", Multiline: true, Required: true},
		{Name: "informant", Label: "举报人（保密）及联系方式", Hint: "投诉举报来源时填写，不对外公开"},
		{Name: "handler_opinion", Label: "登记人意见", Multiline: true, Required: true}, fHeadOpinion}},
	{FilingApproval, "立案审批表", "", StageFiling, false, false, []Field{
		{Name: "reason", Label: "立案理由", Multiline: true, Required: true}, fOpinion, fHeadOpinion}},
	{NoFilingApproval, "不予立案审批表", "", StageFiling, false, false, []Field{
		{Name: "reason", Label: "不予立案理由", Multiline: true, Required: true}, fOpinion, fHeadOpinion}},
	{RevokeApproval, "撤销立案审批表", "", StageFiling, false, false, []Field{
		{Name: "reason", Label: "撤销立案理由及证据", Multiline: true, Required: true}, fOpinion, fHeadOpinion}},
	{TransferLetter, "案件移送函", "移", StageFiling, true, false, []Field{
		{Name: "materials", Label: "移送材料清单", Multiline: true, Required: true},
		{Name: "contact", Label: "联系人及电话", Required: true}}},
	{CrimeTransfer, "涉嫌犯罪案件移送书", "刑移", StageFiling, true, false, []Field{
		{Name: "reason", Label: "涉嫌犯罪的事实和理由", Multiline: true, Required: true},
		{Name: "materials", Label: "附送材料（调查报告、涉案物品清单、检验鉴定结论等）", Multiline: true, Required: true}}},
	{Inquiry, "询问笔录", "", StageInvestigation, false, true, []Field{
		fTimeStart, fTimeEnd, fPlace,
		{Name: "person", Label: "被询问人（姓名、性别、身份证件号码、住址、电话、与案件关系）", Multiline: true, Required: true},
		{Name: "questioners", Label: "询问人、记录人及执法证号", Required: true},
		{Name: "qa", Label: "询问内容（问：……答：……）", Multiline: true, Required: true, Hint: "每行以“问：”或“答：”开头"}}},
	{Inspection, "现场检查（勘验）笔录", "", StageInvestigation, false, true, []Field{
		fTimeStart, fTimeEnd, fPlace,
		{Name: "present", Label: "当事人（或见证人）在场情况", Required: true},
		{Name: "record", Label: "检查（勘验）情况", Multiline: true, Required: true, Hint: "所见物品、测量数据、示意图说明、拍摄照片情况"}}},
	{CorrectionOrder, "责令（限期）改正通知书", "责改", StageInvestigation, true, false, []Field{
		{Name: "measure", Label: "改正内容", Multiline: true, Required: true},
		{Name: "due", Label: "改正期限", Required: true, Hint: "如 2025年9月15日前"}}},
	{PreserveApproval, "先行登记保存证据审批表", "", StageInvestigation, false, true, []Field{
		{Name: "reason", Label: "先行登记保存理由", Multiline: true, Required: true}, fHeadOpinion}},
	{PreserveNotice, "先行登记保存证据通知书", "登保", StageInvestigation, true, true, nil},
	{PreserveDecision, "先行登记保存证据处理决定书", "登保处", StageInvestigation, true, true, nil},
	{SamplingRecord, "抽样取证记录（凭证）", "", StageInvestigation, false, true, []Field{
		{Name: "place", Label: "抽样地点", Required: true},
		{Name: "method", Label: "抽样方法及封样情况", Multiline: true, Hint: "如何抽取、封存样品，封条由谁签名"}}},
	{SeizeDecision, "查封扣押决定书", "封扣", StageInvestigation, true, true, []Field{
		{Name: "reason", Label: "查封、扣押的理由", Multiline: true, Required: true},
		{Name: "basis", Label: "查封、扣押的依据", Multiline: true, Required: true}}},
	{SeizureExtension, "延长查封扣押期限通知书", "延封扣", StageInvestigation, true, true, []Field{
		{Name: "reason", Label: "延长的理由（情况复杂的具体情形）", Multiline: true, Required: true}}},
	{ReleaseDecision, "解除查封扣押决定书", "解封扣", StageInvestigation, true, true, []Field{
		{Name: "reason", Label: "解除理由", Multiline: true, Required: true}}},
	{SuspendDecision, "中止调查决定书", "中止", StageInvestigation, true, true, nil},
	{ResumeDecision, "恢复调查决定书", "恢复", StageInvestigation, true, true, nil},
	{RecusalDecision, "回避决定书", "", StageInvestigation, false, true, nil},
	{ExtensionApproval, "延长办案期限审批表", "", StageInvestigation, false, true, []Field{
		{Name: "reason", Label: "延长办案期限的理由", Multiline: true, Required: true}, fOpinion, fHeadOpinion}},
	{EvidenceNote, "证据说明", "", StageInvestigation, false, true, []Field{
		{Name: "shows", Label: "证明内容（拍摄或录制的时间、地点、方法、反映的事实）", Multiline: true, Required: true}}},
	{InvestigationReport, "调查终结报告", "", StageReview, false, false, []Field{
		{Name: "course", Label: "调查经过", Multiline: true, Required: true},
		{Name: "facts", Label: "查明的违法事实", Multiline: true, Required: true},
		{Name: "evidence", Label: "证据及证明内容", Multiline: true, Required: true},
		{Name: "discretion", Label: "裁量情节（从重、从轻、减轻或无）", Multiline: true, Required: true},
		{Name: "proposal", Label: "处理建议", Multiline: true, Required: true}}},
	{HandlingApproval, "案件处理审批表", "", StageReview, false, false, []Field{fOpinion, fHeadOpinion}},
	{ReviewOpinion, "法制审核意见书", "", StageReview, false, true, nil},
	{DiscussionRecord, "集体讨论笔录", "", StageReview, false, true, []Field{
		{Name: "views", Label: "参加人员发言（每人一段）", Multiline: true, Required: true}}},
	{Notice, "行政处罚事先告知书", "罚告", StageNotice, true, true, []Field{
		{Name: "facts", Label: "违法事实", Multiline: true, Required: true},
		{Name: "evidence", Label: "证据", Multiline: true, Required: true},
		{Name: "reasons", Label: "处罚理由和依据", Multiline: true, Required: true},
		{Name: "heavy", Label: "拟作出没收较大数额违法所得、没收较大价值非法财物等其他较重的行政处罚（应当告知听证权利）", Check: true}}},
	{StatementRecord, "陈述申辩笔录", "", StageNotice, false, true, []Field{
		fTimeStart, fTimeEnd, fPlace,
		{Name: "content", Label: "陈述申辩内容", Multiline: true, Required: true}}},
	{RecheckOpinion, "复核意见", "", StageNotice, false, true, nil},
	{HearingRightNotice, "听证告知书", "听告", StageNotice, true, true, nil},
	{HearingNotice, "听证通知书", "听通", StageNotice, true, true, []Field{
		{Name: "officers", Label: "听证员、记录员", Required: true}}},
	{HearingRecord, "听证笔录", "", StageNotice, false, true, []Field{
		fTimeStart, fTimeEnd,
		{Name: "record", Label: "听证过程（调查人员意见、当事人陈述申辩和质证、最后陈述）", Multiline: true, Required: true}}},
	{HearingReport, "听证报告", "", StageNotice, false, true, []Field{
		{Name: "issues", Label: "争议焦点", Multiline: true, Required: true},
		{Name: "opinion", Label: "主持人意见", Multiline: true, Required: true}}},
	{Decision, "行政处罚决定书", "罚", StageDecision, true, false, []Field{
		{Name: "facts", Label: "违法事实", Multiline: true, Required: true},
		{Name: "evidence", Label: "证据", Multiline: true, Required: true},
		{Name: "statement", Label: "陈述申辩（听证）情况及采纳情况", Multiline: true, Required: true},
		{Name: "reasons", Label: "处罚理由（裁量情节）", Multiline: true, Required: true}}},
	{NoPenaltyDecision, "不予行政处罚决定书", "不罚", StageDecision, true, false, []Field{
		{Name: "facts", Label: "查明的事实", Multiline: true, Required: true}}},
	{SpotDecision, "当场行政处罚决定书", "当罚", StageDecision, true, false, nil},
	{ServiceReceipt, "送达回证", "", StageExecution, false, true, nil},
	{EServiceConsent, "送达地址确认书", "", StageExecution, false, true, []Field{
		{Name: "address", Label: "确认的送达地址", Required: true},
		{Name: "channel", Label: "电子送达方式（手机号码、电子邮箱等）", Hint: "当事人同意电子送达时填写"},
		{Name: "consent", Label: "是否同意电子送达（填“同意”或“不同意”）", Required: true}}},
	{DeferralApproval, "延期（分期）缴纳罚款审批表", "", StageExecution, false, true, []Field{
		{Name: "reason", Label: "当事人申请理由及困难证明", Multiline: true, Required: true}, fOpinion, fHeadOpinion}},
	{DeferralDecision, "延期（分期）缴纳罚款决定书", "延缴", StageExecution, true, true, nil},
	{Demand, "履行催告书", "催", StageExecution, true, true, nil},
	{EnforcementRequest, "强制执行申请书", "强申", StageExecution, true, false, []Field{
		{Name: "statement", Label: "当事人陈述申辩及催告情况", Multiline: true, Required: true}}},
	{DemolitionNotice, "强制拆除公告", "拆告", StageExecution, true, false, nil},
	{ExecutionDecision, "行政强制执行决定书", "强执", StageExecution, true, false, []Field{
		{Name: "reason", Label: "强制执行的理由和依据", Multiline: true, Required: true},
		{Name: "manner", Label: "强制执行的方式和时间", Multiline: true, Required: true}}},
	{ClosingApproval, "结案审批表", "", StageClosing, false, false, []Field{
		{Name: "summary", Label: "执行情况及结案理由", Multiline: true, Required: true}, fOpinion, fHeadOpinion}},
	{MajorFiling, "重大行政处罚决定备案表", "罚备", StageClosing, true, false, []Field{
		{Name: "reason", Label: "属于重大行政处罚的情形", Multiline: true, Required: true}}},
}

var byKind = func() map[Kind]*Meta {
	m := make(map[Kind]*Meta, len(All))
	for i := range All {
		m[All[i].Kind] = &All[i]
	}
	return m
}()

// Of returns the metadata of k, or nil if k is not a kind.
func Of(k Kind) *Meta { return byKind[k] }

// Order is k's place in procedure order (for sorting a dossier).
func Order(k Kind) int {
	for i := range All {
		if All[i].Kind == k {
			return i
		}
	}
	return len(All)
}

// Field finds a field of m by name.
func (m *Meta) Field(name string) *Field {
	for i := range m.Fields {
		if m.Fields[i].Name == name {
			return &m.Fields[i]
		}
	}
	return nil
}

// Service is the record of serving a document (送达回证).
type Service struct {
	Method    string // one of ServiceMethods
	ServedOn  string // YYYY-MM-DD as declared; checked by the caller's date rules
	Recipient string // who signed (受送达人 or 代收人)
	Relation  string // 代收人与当事人关系
	Address   string
	Servers   string // 送达人
	Refused   bool   // 拒绝签收 (留置送达): a witness or a note is then required
	Witness   string
	Note      string
	ScanID    int64 // the signed 送达回证 scanned as evidence, if any
}

// Served is the document a workflow step served.
type Served struct {
	ID      int64
	Number  string
	Title   string
	Hearing bool // a notice that told the party of the right to a hearing
}

// Service methods (APL art. 61, 民事诉讼法 arts. 87–95).
const (
	ServeDirect     = "直接送达"
	ServeLeft       = "留置送达"
	ServePost       = "邮寄送达"
	ServeElectronic = "电子送达（当事人同意）"
	ServeEntrusted  = "委托送达"
	ServePublic     = "公告送达"
	ServeOnSpot     = "当场交付"
)

// ServiceMethods are the ways of serving a document.
var ServiceMethods = []string{ServeDirect, ServeLeft, ServePost, ServeElectronic, ServeEntrusted, ServePublic, ServeOnSpot}
