package cases

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/authority"
	"zhifa/internal/deadline"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// FileInput is the form that opens a case.
type FileInput struct {
	Procedure     string
	ItemID        string
	Source        string
	PartyKind     string
	PartyName     string
	PartyIDNumber string // ID card number, or unified social credit code for an organisation
	PartyPhone    string
	PartyAddress  string
	PartyLegalRep string
	PlaceVillage  string
	PlaceAddress  string
	ActOn         string
	DiscoveredOn  string
	Facts         string
	OfficerIDs    []int64
	LeadID        int64 // the 主办 among OfficerIDs
	SeriousHarm   bool  // harm to life, health or financial safety: 5-year limitation (APL art. 36)
	ContinuingAct bool  // the act continued: ActOn is the day it ended
	LeadOnly      bool  // register a lead (待立案) without asking for filing yet
	// IdempotencyKey is the form's random key: stored with the case, so the
	// same form sent again finds it (FiledWith) instead of filing twice.
	// Empty or malformed: not recorded.
	IdempotencyKey string
}

var (
	idNumberRE   = regexp.MustCompile(`^[0-9]{17}[0-9X]$`)
	creditCodeRE = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{18}$`)
	phoneRE      = regexp.MustCompile(`^[0-9-]{7,20}$`)
)

type validInput struct {
	FileInput
	itemID              int64
	actOn, discoveredOn time.Time
	procedure           workflow.Procedure
}

func parseDate(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), zhifa.Local)
	return t, err == nil
}

// validate checks the form on its own; the database checks come after.
func (in *FileInput) validate(today time.Time) (*validInput, error) {
	for _, p := range []*string{&in.Procedure, &in.ItemID, &in.Source, &in.PartyKind, &in.PartyName, &in.PartyIDNumber,
		&in.PartyPhone, &in.PartyAddress, &in.PartyLegalRep, &in.PlaceVillage, &in.PlaceAddress, &in.ActOn, &in.DiscoveredOn, &in.Facts} {
		*p = strings.TrimSpace(*p)
	}
	in.PartyIDNumber = strings.ToUpper(in.PartyIDNumber)
	v := &validInput{FileInput: *in}
	fe := zhifa.FieldErrors{}
	v.procedure = workflow.Procedure(in.Procedure)
	fe.Check(v.procedure == workflow.General || v.procedure == workflow.Summary, "procedure", "请选择一般程序或简易程序。")
	var err error
	v.itemID, err = strconv.ParseInt(in.ItemID, 10, 64)
	fe.Check(err == nil && v.itemID > 0, "item", "请选择本镇执法事项清单中的事项。")
	fe.Check(slices.ContainsFunc(Sources, func(o Option) bool { return o.Value == in.Source }), "source", "请选择案件来源。")
	checkParty(fe, in.PartyKind, in.PartyName, in.PartyIDNumber, in.PartyLegalRep, in.PartyPhone, in.PartyAddress, in.PlaceVillage, in.PlaceAddress)
	var ok bool
	v.actOn, ok = parseDate(in.ActOn)
	fe.Check(ok, "act_on", "请填写违法行为发生日期（格式：2025-03-24）。")
	v.discoveredOn, ok = parseDate(in.DiscoveredOn)
	fe.Check(ok, "discovered_on", "请填写发现日期（格式：2025-03-24）。")
	if !v.actOn.IsZero() && !v.discoveredOn.IsZero() {
		fe.Check(!v.discoveredOn.Before(v.actOn), "discovered_on", "发现日期不能早于违法行为发生日期。")
		fe.Check(!v.discoveredOn.After(today), "discovered_on", "发现日期不能晚于今天。")
	}
	if _, ok := fe["party_id_number"]; !ok && !v.actOn.IsZero() {
		checkAge(fe, in.PartyKind, in.PartyIDNumber, v.actOn)
	}
	fe.Check(runes(in.Facts) <= 4000, "facts", "案情摘要不能超过4000字。")
	fe.Check(len(slices.Compact(slices.Sorted(slices.Values(in.OfficerIDs)))) >= 2, "officers",
		"执法人员不得少于两人：请选择至少两名承办人员（行政处罚法第四十二条）。")
	fe.Check(slices.Contains(in.OfficerIDs, in.LeadID), "lead", "请在勾选的承办人员中指定一名主办人员。")
	return v, fe.Err()
}

// AgeOnAct is the age in full years (周岁) on day of the person whose
// 18-digit ID number is id, from the birth date in digits 7-14. A year of
// age is complete from the day after the birthday (周岁从生日的第二天起算).
// ok is false when id carries no valid birth date.
func AgeOnAct(id string, day time.Time) (age int, ok bool) {
	if len(id) != 18 {
		return 0, false
	}
	birth, err := time.ParseInLocation("20060102", id[6:14], zhifa.Local)
	if err != nil || birth.After(day) {
		return 0, false
	}
	age = day.Year() - birth.Year()
	if !day.After(birth.AddDate(age, 0, 0)) {
		age--
	}
	return max(age, 0), true
}

// MinorAge is the party's age on the day of the act when the party is a
// person aged under 18 by the ID number (APL art. 30); ok is false otherwise.
func (c *Case) MinorAge() (age int, ok bool) {
	if c.PartyKind != "person" {
		return 0, false
	}
	age, ok = AgeOnAct(c.PartyIDNumber, c.ActOn)
	return age, ok && age < 18
}

// Under14 is the refusal of a case against a person under 14 at the time
// of the act (APL art. 30).
const Under14 = "当事人违法时不满十四周岁，不予行政处罚，责令监护人加以管教（行政处罚法第三十条）"

// checkAge refuses a person who was under 14 on the day of the act, by the
// birth date in the ID number (APL art. 30).
func checkAge(fe zhifa.FieldErrors, kind, idNumber string, actOn time.Time) {
	if kind != "person" || !idNumberRE.MatchString(idNumber) {
		return
	}
	if _, err := time.ParseInLocation("20060102", idNumber[6:14], zhifa.Local); err != nil {
		fe["party_id_number"] = "身份证号码中的出生日期无效，请核对。"
		return
	}
	age, ok := AgeOnAct(idNumber, actOn)
	if !ok {
		fe["party_id_number"] = "身份证号码中的出生日期晚于违法行为发生日期，请核对。"
	} else if age < 14 {
		fe["party_id_number"] = Under14 + "。"
	}
}

// DoubleFine is the end of the refusal of a second case on the same act
// (APL art. 29).
const DoubleFine = "同一个违法行为不得给予两次以上罚款的行政处罚（行政处罚法第二十九条）"

// sameAct looks in the town (RLS) for a case on the same act: the same
// party (the same ID number; or, where either has none, the same name),
// under the same item, with the same act date, that is not closed as not
// filed, revoked, or not penalised because the facts were not established.
// It returns the existing case's number, "（待立案）" for a lead, or "";
// the case being corrected (except) is not counted.
func sameAct(ctx context.Context, tx pgx.Tx, itemID int64, actOn time.Time, idNumber, name string, except int64) (string, error) {
	var number *string
	err := tx.QueryRow(ctx, `SELECT number FROM cases
		WHERE item_id = $1 AND act_on = $2 AND id <> $5
			AND state NOT IN ('not_filed', 'revoked') AND NOT (state = 'no_penalty' AND no_penalty_kind = 'not_established')
			AND ($3 <> '' AND party_id_number = $3 OR ($3 = '' OR party_id_number = '') AND party_name = $4)
		ORDER BY id LIMIT 1`, itemID, actOn.Format(time.DateOnly), idNumber, name, except).Scan(&number)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("same act: %w", err)
	}
	if number == nil || *number == "" {
		return "（待立案）", nil
	}
	return *number, nil
}

// sameActMessage refuses a second case on an act that has one.
func sameActMessage(existing string) string {
	return "该当事人的同一违法行为（同一事项、同一发生日期）已有案件" + existing + "：" + DoubleFine + "。"
}

// OutsideTown is the refusal of a place outside the town's area: a town
// penalises only acts in its own area (APL art. 22).
const OutsideTown = "发生地须为本镇辖区内的村（社区）；不在本镇辖区的，应移送所在地的镇或县级主管部门（行政处罚法第二十二条）"

// checkVillage checks that the place of the act is one of the town's
// villages or communities (APL art. 22), in the caller's transaction. It
// returns "" when it is, else the message for the field place_village.
// Filing and the correction of the party (update_party) both call it.
func checkVillage(ctx context.Context, tx pgx.Tx, townID int64, village string) (string, error) {
	village = strings.TrimSpace(village)
	var listed, known bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM villages WHERE town_id = $1),
		EXISTS (SELECT FROM villages WHERE town_id = $1 AND name = $2)`, townID, village).Scan(&listed, &known)
	switch {
	case err != nil:
		return "", fmt.Errorf("villages of town %d: %w", townID, err)
	case !listed:
		return "本镇尚未录入辖区内的村（社区），不能确定发生地是否在本镇辖区；请县级管理员先录入（行政处罚法第二十二条）。", nil
	case village == "":
		return "请选择违法行为发生地所在的本镇村（社区）。", nil
	case !known:
		return OutsideTown + "。", nil
	}
	return "", nil
}

// checkParty checks who the party is and where the act happened: the same
// rules when filing and when correcting them later.
func checkParty(fe zhifa.FieldErrors, kind, name, idNumber, legalRep, phone, partyAddress, village, address string) {
	fe.Check(kind == "person" || kind == "org", "party_kind", "请选择当事人类型。")
	fe.Check(name != "" && runes(name) <= 100, "party_name", "请填写当事人姓名或名称（100字以内）。")
	switch kind {
	case "person":
		fe.Check(idNumber == "" || idNumberRE.MatchString(idNumber), "party_id_number", "身份证号码应为18位，最后一位可为数字或X。")
		fe.Check(idNumber == "" || !idNumberRE.MatchString(idNumber) || zhifa.IDCheckDigitOK(idNumber), "party_id_number",
			"身份证号码校验位不正确，请核对（GB 11643）。")
	case "org":
		fe.Check(creditCodeRE.MatchString(idNumber), "party_id_number", "请填写18位统一社会信用代码。")
		fe.Check(legalRep != "", "party_legal_rep", "请填写法定代表人（负责人）。")
	}
	fe.Check(phone == "" || phoneRE.MatchString(phone), "party_phone", "联系电话只能包含数字和连字符，7至20位。")
	fe.Check(runes(legalRep) <= 50, "party_legal_rep", "法定代表人（负责人）不超过50字。")
	fe.Check(village != "" || address != "", "place_address", "请填写违法行为发生地点（村、详细地址）。")
	fe.Check(runes(address) <= 200, "place_address", "详细地点不超过200字。")
	fe.Check(runes(partyAddress) <= 200, "party_address", "住址不超过200字。")
}

// File opens a case in the actor's town. An officer registers a lead and,
// unless LeadOnly, asks the team leader to approve its filing (立案审批);
// a team leader's filing is approved at once; under the summary procedure
// the officers file on the spot. It returns the case id.
func (s *Service) File(ctx context.Context, in FileInput) (int64, error) {
	a := zhifa.ActorFrom(ctx)
	if a == nil || (a.Role != zhifa.RoleOfficer && a.Role != zhifa.RoleLeader) {
		return 0, zhifa.Errorf(zhifa.EFORBIDDEN, "只有镇执法队员或队长可以登记案件。")
	}
	today := s.Clock.Today()
	v, err := in.validate(today)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		officers, err := handlingOfficers(ctx, tx, v.OfficerIDs, today)
		if err != nil {
			return err
		}
		inForce, err := authority.InForce(ctx, tx, a.TownID, v.itemID, today)
		if err != nil {
			return err
		}
		kind, _, err := authority.ItemPenalties(ctx, tx, v.itemID)
		if err != nil {
			return foreignKeyError(err)
		}
		r, _, err := loadRules(ctx, tx, v.itemID)
		if err != nil {
			return err
		}
		ds := r.Deadline()
		years := ds.LimitationYears
		if v.SeriousHarm {
			years = ds.LimitationYearsSerious
		}
		fe := zhifa.FieldErrors{}
		if !inForce {
			fe["item"] = notInForceMessage
		} else if kind != authority.KindPenalty {
			fe["item"] = "该事项属于" + kind + "，不是行政处罚事项，不能作为行政处罚案件登记。"
		}
		if !deadline.WithinLimitation(v.actOn, v.discoveredOn, years) {
			fe["discovered_on"] = fmt.Sprintf("违法行为在%d年内未被发现的，不再给予行政处罚（行政处罚法第三十六条）；涉及公民生命健康安全、金融安全且有危害后果的为五年，请勾选。", years)
			if v.SeriousHarm {
				fe["discovered_on"] = fmt.Sprintf("违法行为在%d年内未被发现的，不再给予行政处罚（行政处罚法第三十六条）。", years)
			}
		}
		if msg, err := checkVillage(ctx, tx, a.TownID, v.PlaceVillage); err != nil {
			return err
		} else if msg != "" {
			fe["place_village"] = msg
		}
		if existing, err := sameAct(ctx, tx, v.itemID, v.actOn, v.PartyIDNumber, v.PartyName, 0); err != nil {
			return err
		} else if existing != "" {
			fe["party_name"] = sameActMessage(existing)
		}
		if err := fe.Err(); err != nil {
			return err
		}
		fileNow := !v.LeadOnly && (a.Role == zhifa.RoleLeader || v.procedure == workflow.Summary)
		// A filing asked of the team leader is checked as the leader will
		// check it, so the officer hears at once of a lapsed certificate
		// rather than from a refused approval.
		if !v.LeadOnly {
			valid := 0
			for _, o := range officers {
				if o.certValid {
					valid++
				}
			}
			f := &workflow.Facts{Procedure: v.procedure, State: workflow.Lead, Today: today, ActorID: a.UserID, ActorRole: a.Role,
				ActorIsHandler: slices.Contains(v.OfficerIDs, a.UserID), ActorCertValid: slices.ContainsFunc(officers, func(h handler) bool { return h.id == a.UserID && h.certValid }),
				Handlers: v.OfficerIDs, LeadHandler: true, ValidCertHandlers: valid, ValidCertHandlersToday: valid, ItemInForce: inForce, ItemIsPenalty: true,
				WithinLimitation: true, LimitationYears: years}
			if !fileNow {
				f.ActorRole = zhifa.RoleLeader
			}
			if _, err := workflow.Check(f, workflow.ActFile); err != nil {
				return fileError(err, officers, today)
			}
		}
		var asked *string
		if !v.LeadOnly && !fileNow {
			d := today.Format(time.DateOnly)
			asked = &d
		}
		err = tx.QueryRow(ctx, `INSERT INTO cases (town_id, procedure, state, item_id, source, party_kind, party_name,
			party_id_number, party_phone, party_address, party_legal_rep, place_village, place_address, act_on,
			discovered_on, facts, created_by, state_entered_on, serious_harm, continuing_act, filing_requested_on)
			VALUES ($1, $2, 'lead', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
			a.TownID, v.procedure, v.itemID, v.Source, v.PartyKind, v.PartyName, v.PartyIDNumber, v.PartyPhone,
			v.PartyAddress, v.PartyLegalRep, v.PlaceVillage, v.PlaceAddress, v.actOn.Format(time.DateOnly),
			v.discoveredOn.Format(time.DateOnly), v.Facts, a.UserID, today.Format(time.DateOnly), v.SeriousHarm, v.ContinuingAct, asked).Scan(&id)
		if err != nil {
			return foreignKeyError(err)
		}
		for _, o := range officers {
			if _, err := tx.Exec(ctx, `INSERT INTO case_officers (case_id, town_id, user_id, lead) VALUES ($1, $2, $3, $4)`,
				id, a.TownID, o.id, o.id == v.LeadID); err != nil {
				return err
			}
		}
		summary := "登记案源"
		if asked != nil {
			summary = "登记案源，提交立案审批"
		}
		if err := addEvent(ctx, tx, a, id, a.TownID, s.Clock(), "register", "", string(workflow.Lead), summary, "", time.Time{}); err != nil {
			return err
		}
		if fileNow {
			n, err := numberCase(ctx, tx, a.TownID, today)
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE cases SET state = 'filed', state_entered_on = $5, year = $2, seq = $3, number = $4, filed_on = $5,
				filing_approved_by = $6, version = version + 1, updated_at = now() WHERE id = $1`,
				id, today.Year(), n.seq, n.text, today.Format(time.DateOnly), a.UserID)
			if err != nil {
				return notInForce(err)
			}
			if err := addEvent(ctx, tx, a, id, a.TownID, s.Clock(), string(workflow.ActFile), string(workflow.Lead), string(workflow.Filed),
				"立案，案号"+n.text, "", time.Time{}); err != nil {
				return err
			}
		}
		if IdempotencyKeyOK(v.IdempotencyKey) {
			// A twin request racing this one waits here on the key and,
			// once this commits, fails and rolls back all it wrote.
			if _, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, town_id, case_id) VALUES ($1, $2, $3, $4)`,
				a.UserID, v.IdempotencyKey, a.TownID, id); err != nil {
				return fmt.Errorf("idempotency key: %w", err)
			}
		}
		return RefreshDue(ctx, tx, id, today)
	})
	return id, zhifa.Annotate(err, "file case")
}

var idempotencyKeyRE = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// IdempotencyKeyOK reports whether key looks like a form's idempotency key.
func IdempotencyKeyOK(key string) bool { return idempotencyKeyRE.MatchString(key) }

// FiledWith returns the case the actor already filed with the form's
// idempotency key, or 0.
func (s *Service) FiledWith(ctx context.Context, key string) (int64, error) {
	a := zhifa.ActorFrom(ctx)
	if a == nil || !IdempotencyKeyOK(key) {
		return 0, nil
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT case_id FROM idempotency_keys WHERE user_id = $1 AND key = $2`, a.UserID, key).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	return id, zhifa.Annotate(err, "idempotency key")
}

const notInForceMessage = "清单之外无执法：该事项不在本镇立案之日施行的执法事项清单内，不能立案；属于其他部门职责的，请依法移送。"

// fileError turns the workflow's refusal into messages next to the fields.
func fileError(err error, officers []handler, today time.Time) error {
	msg := zhifa.ErrorMessage(err)
	if zhifa.ErrorCode(err) != zhifa.EINVALID {
		return err
	}
	fe := zhifa.FieldErrors{}
	if strings.Contains(msg, "清单之外无执法") {
		fe["item"] = notInForceMessage
	}
	var lapsed []string
	for _, o := range officers {
		if !o.certValid {
			lapsed = append(lapsed, o.name)
		}
	}
	if len(lapsed) > 0 {
		fe["officers"] = fmt.Sprintf("%s的执法证在%s不在有效期内，不能承办案件；须至少两名持有效执法证的执法人员（行政处罚法第四十二条）。",
			strings.Join(lapsed, "、"), today.Format("2006年1月2日"))
	}
	if len(fe) == 0 {
		return err
	}
	return fe
}

// caseNumber is a case's number: its sequence in the town and year, and
// the text 紫X综执立〔YYYY〕N号.
type caseNumber struct {
	seq  int
	text string
}

// numberCase takes the town's next number for the year. The counter row is
// locked by the upsert until the transaction ends, so concurrent filings in
// one town wait for each other and numbers stay gap-free.
func numberCase(ctx context.Context, tx pgx.Tx, townID int64, today time.Time) (caseNumber, error) {
	year := today.Year()
	var n caseNumber
	err := tx.QueryRow(ctx, `INSERT INTO case_counters (town_id, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (town_id, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last`, townID, year).Scan(&n.seq)
	if err != nil {
		return n, fmt.Errorf("allocate case number: %w", err)
	}
	var short string
	if err := tx.QueryRow(ctx, `SELECT short_name FROM towns WHERE id = $1`, townID).Scan(&short); err != nil {
		return n, err
	}
	n.text = fmt.Sprintf("紫%s综执立〔%d〕%d号", short, year, n.seq)
	return n, nil
}

type handler struct {
	id        int64
	name      string
	certValid bool
}

// handlingOfficers loads the chosen officers: in the actor's town (RLS),
// field roles, active; with whether their certificate is valid on day.
func handlingOfficers(ctx context.Context, tx pgx.Tx, ids []int64, day time.Time) ([]handler, error) {
	rows, _ := tx.Query(ctx, `SELECT u.id, u.display_name,
			coalesce(c.valid_from <= $2 AND c.valid_until >= $2, false)
		FROM users u LEFT JOIN certificates c ON c.user_id = u.id
		WHERE u.id = ANY($1) AND u.role IN ('officer', 'leader') AND u.active AND u.town_id = app_town_id()
		ORDER BY array_position($1, u.id)`, ids, day.Format(time.DateOnly))
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handler, error) {
		var h handler
		return h, r.Scan(&h.id, &h.name, &h.certValid)
	})
	if err != nil {
		return nil, err
	}
	if len(out) != len(slices.Compact(slices.Sorted(slices.Values(ids)))) {
		return nil, zhifa.FieldErrors{"officers": "承办人员须为本镇在职的执法队员或队长。"}
	}
	return out, nil
}

// addEvent appends to the case's timeline; on is the date the user
// declared for it, kept when it is not the day of entry.
func addEvent(ctx context.Context, tx pgx.Tx, a *zhifa.Actor, caseID, townID int64, at time.Time, action, from, to, summary, reason string, on time.Time) error {
	var onDate *string
	if !on.IsZero() && on.Format(time.DateOnly) != at.In(zhifa.Local).Format(time.DateOnly) {
		d := on.Format(time.DateOnly)
		onDate = &d
	}
	_, err := tx.Exec(ctx, `INSERT INTO case_events (case_id, town_id, at, actor_id, actor_name, action, from_state, to_state, summary, reason, on_date)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, caseID, townID, at, a.UserID, a.DisplayName, action, from, to, summary, reason, onDate)
	if err != nil {
		return fmt.Errorf("timeline of case %d: %w", caseID, err)
	}
	return nil
}

// notInForce maps the database's own refusal to the user's message.
func notInForce(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.ConstraintName == "authority_item_in_force" {
		return zhifa.FieldErrors{"item": notInForceMessage}
	}
	return err
}

func foreignKeyError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		return zhifa.FieldErrors{"item": "请选择本镇执法事项清单中的事项。"}
	}
	return notInForce(err)
}
