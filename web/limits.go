package web

// The longest entry a box takes, as its maxlength: the browser stops the
// typing where the server would refuse. The services and the database
// (migrations/0022) check again; a limit here is never stricter than the
// server's for a form using the name.
const (
	inputMax    = 200  // a one-line box: names, addresses, places, numbers
	textAreaMax = 4000 // a case form's box (internal/server maxFieldRunes)
	// DocumentMax bounds a document's words (internal/documents maxField):
	// its form uses FieldMax and TextAreaMax.
	DocumentMax = 8000
	basisMax    = 20000
)

// longerBoxes are the names whose server limit is above the default.
var longerBoxes = map[string]int{
	// One-line boxes of the case forms (each box up to 4000).
	"attendance": textAreaMax, "participants": textAreaMax, "service_proof": textAreaMax, "onspot_reason": textAreaMax,
	"private_reason": textAreaMax, "disposal": textAreaMax, "order_measure": textAreaMax, "other": textAreaMax,
	"confiscation": textAreaMax, "suspension": textAreaMax, "revocation": textAreaMax,
	// The catalogue and the county's settings.
	"penalty_types": 1000, "penalty_range": 1000, "former_department": 1000, "panel": 500, "reason": 500,
	"no_suspend_phrase": 500, "silence_phrase": 500, "seal_text": 500,
	"violation_basis": basisMax, "penalty_basis": basisMax, "discretion": basisMax,
}

// MaxLen is the maxlength of the box called name.
func MaxLen(name string, multiline bool) int {
	n := inputMax
	if multiline {
		n = textAreaMax
	}
	return max(n, longerBoxes[name])
}

// textType reports whether an input of type typ takes free text (date and
// number inputs ignore maxlength).
func textType(typ string) bool {
	switch typ {
	case "text", "search", "tel", "email", "url", "password":
		return true
	}
	return false
}
