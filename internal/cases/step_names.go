package cases

// StepName names a recording step (see Steps); the forms post it as the
// action.
type StepName string

// The steps, declared once.
const (
	StepUpdateFacts         StepName = "update_facts"
	StepUpdateParty         StepName = "update_party"
	StepRequestFiling       StepName = "request_filing"
	StepPropose             StepName = "propose"
	StepServeNotice         StepName = "serve_notice"
	StepWaiveStatement      StepName = "waive_statement"
	StepWaiveHearing        StepName = "waive_hearing"
	StepAddStatement        StepName = "add_statement"
	StepRecheckStatement    StepName = "recheck_statement"
	StepServeHearingNotice  StepName = "serve_hearing_notice"
	StepHoldHearing         StepName = "hold_hearing"
	StepRecordDiscussion    StepName = "record_discussion"
	StepRequestRecusal      StepName = "request_recusal"
	StepDecideRecusal       StepName = "decide_recusal"
	StepAddHandler          StepName = "add_handler"
	StepPreserve            StepName = "preserve"
	StepEmergencySeize      StepName = "emergency_seize"
	StepApproveEmergency    StepName = "approve_emergency"
	StepExtendSeizure       StepName = "extend_seizure"
	StepEndPreservation     StepName = "end_preservation"
	StepProposeTransfer     StepName = "propose_transfer"
	StepSuspend             StepName = "suspend"
	StepResume              StepName = "resume"
	StepExtend              StepName = "extend"
	StepAddPayment          StepName = "add_payment"
	StepReversePayment      StepName = "reverse_payment"
	StepHandIn              StepName = "hand_in"
	StepDeferPayment        StepName = "defer_payment"
	StepOrderDone           StepName = "order_done"
	StepServeDemand         StepName = "serve_demand"
	StepApplyEnforcement    StepName = "apply_enforcement"
	StepAnnounceDemolition  StepName = "announce_demolition"
	StepForceDemolition     StepName = "force_demolition"
	StepAddRemedy           StepName = "add_remedy"
	StepTransferReceipt     StepName = "transfer_receipt"
	StepEnforcementRuling   StepName = "enforcement_ruling"
	StepRemedyOutcome       StepName = "remedy_outcome"
	StepRecordSampling      StepName = "record_sampling"
	StepRequestChairRecusal StepName = "request_chair_recusal"
	StepDecideChairRecusal  StepName = "decide_chair_recusal"
)
