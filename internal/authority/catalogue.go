package authority

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/refcache"
	"zhifa/internal/zhifa"
)

var itemColumns = `i.id, i.code, i.name, i.kind, i.domain_id, d.name AS domain, d.position AS domain_position,
	i.violation_basis, i.penalty_basis, i.penalty_types, i.penalty_range, i.former_department, i.discretion,
	` + penaltyColumns("i")

// Domains returns the managed list of domains in display order (public,
// cached).
func (s *Service) Domains(ctx context.Context) ([]Domain, error) {
	out, err := refcache.Get(ctx, s.Ref, refcache.Domains, "", func() ([]Domain, error) {
		var out []Domain
		err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
			var err error
			out, err = listDomains(ctx, tx)
			return err
		})
		return out, err
	})
	if err != nil {
		return nil, fmt.Errorf("list domains: %w", err)
	}
	return slices.Clone(out), nil
}

func listDomains(ctx context.Context, tx pgx.Tx) ([]Domain, error) {
	rows, _ := tx.Query(ctx, `SELECT id, name, position FROM domains ORDER BY position, id`)
	return pgx.CollectRows(rows, pgx.RowToStructByName[Domain])
}

// CreateDomain adds a domain at the end of the list.
func (s *Service) CreateDomain(ctx context.Context, name string) error {
	if err := requireAdmin(zhifa.ActorFrom(ctx)); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < 2 || n > 20 {
		return zhifa.FieldErrors{"name": "领域名称应为2至20个字。"}
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO domains (name, position) SELECT $1, coalesce(max(position), 0) + 1 FROM domains`, name)
		if isUnique(err) {
			return zhifa.FieldErrors{"name": "已有同名领域。"}
		}
		return err
	})
	s.Ref.Drop(refcache.Domains) // this instance's next page sees it at once
	return zhifa.Annotate(err, "create domain")
}

// Catalogue returns the catalogue items matching f, by domain then code.
func (s *Service) Catalogue(ctx context.Context, f Filter) ([]Item, error) {
	var out []Item
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = catalogue(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list catalogue: %w", err)
	}
	if f.Active() {
		out = slices.DeleteFunc(out, func(it Item) bool { return !f.Match(&it) })
	}
	return out, nil
}

func catalogue(ctx context.Context, tx pgx.Tx) ([]Item, error) {
	rows, _ := tx.Query(ctx, `SELECT `+itemColumns+` FROM catalogue_items i JOIN domains d ON d.id = i.domain_id
		ORDER BY d.position, i.code`)
	return pgx.CollectRows(rows, pgx.RowToStructByName[Item])
}

// Item returns one catalogue item.
func (s *Service) Item(ctx context.Context, id int64) (*Item, error) {
	var it Item
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+itemColumns+` FROM catalogue_items i JOIN domains d ON d.id = i.domain_id WHERE i.id = $1`, id)
		var err error
		it, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Item])
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该执法事项。")
	} else if err != nil {
		return nil, fmt.Errorf("get item %d: %w", id, err)
	}
	return &it, nil
}

// ItemInput is the catalogue item form.
type ItemInput struct {
	Code, Name, Kind, DomainID                                           string
	ViolationBasis, PenaltyBasis, PenaltyTypes, PenaltyRange, FormerDept string
	Discretion                                                           string // one tier a line: 情形 | 幅度
	// Structured penalties (行政处罚 items only): fines typed in yuan, blank =
	// none; a minimum alone is a fine with no fixed upper limit, a maximum
	// alone a fine from 0.
	FineMinPerson, FineMaxPerson, FineMinOrg, FineMaxOrg string
	Warning, Confiscation, Suspension, Revocation        bool
	OtherPenalty                                         string
	FirstOffenceList                                     bool // 列入首违不罚清单 (行政处罚 items only)
}

var codeRE = regexp.MustCompile(`^[A-Z0-9-]{3,30}$`)

// Validate checks the form and returns the item to store.
func (in *ItemInput) Validate() (*Item, error) {
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	for _, p := range []*string{&in.Code, &in.Name, &in.Kind, &in.DomainID, &in.ViolationBasis, &in.PenaltyBasis,
		&in.PenaltyTypes, &in.PenaltyRange, &in.FormerDept, &in.Discretion,
		&in.FineMinPerson, &in.FineMaxPerson, &in.FineMinOrg, &in.FineMaxOrg, &in.OtherPenalty} {
		trim(p)
	}
	in.Code = strings.ToUpper(in.Code)
	fe := zhifa.FieldErrors{}
	fe.Check(codeRE.MatchString(in.Code), "code", "事项编码为3至30位大写字母、数字或连字符，例如 ZY-HJ-001。")
	n := utf8.RuneCountInString(in.Name)
	fe.Check(n >= 4 && n <= 200, "name", "事项名称应为4至200个字。")
	fe.Check(slices.Contains(Kinds, in.Kind), "kind", "请选择事项类别。")
	domainID, err := strconv.ParseInt(in.DomainID, 10, 64)
	fe.Check(err == nil && domainID > 0, "domain", "请选择领域。")
	fe.Check(in.ViolationBasis != "", "violation_basis", "请填写违法依据。")
	if in.Kind == "行政处罚" {
		fe.Check(in.PenaltyBasis != "", "penalty_basis", "行政处罚事项须填写处罚依据。")
		fe.Check(in.PenaltyTypes != "", "penalty_types", "行政处罚事项须填写处罚种类。")
	}
	fe.Check(in.FormerDept != "", "former_department", "请填写原主管部门。")
	tiers, msg := parseTiers(in.Discretion)
	fe.Check(msg == "", "discretion", msg)
	p := in.penalties(fe)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return &Item{Code: in.Code, Name: in.Name, Kind: in.Kind, DomainID: domainID, ViolationBasis: in.ViolationBasis,
		PenaltyBasis: in.PenaltyBasis, PenaltyTypes: in.PenaltyTypes, PenaltyRange: in.PenaltyRange,
		FormerDept: in.FormerDept, Discretion: tiers, Penalties: p}, nil
}

// penalties reads the structured penalties, adding field errors to fe.
func (in *ItemInput) penalties(fe zhifa.FieldErrors) Penalties {
	p := Penalties{Warning: in.Warning, Confiscation: in.Confiscation, Suspension: in.Suspension,
		Revocation: in.Revocation, Other: in.OtherPenalty, FirstOffenceList: in.FirstOffenceList}
	amount := func(field, label, text string) *int64 {
		if text == "" {
			return nil
		}
		fen, ok := zhifa.ParseYuan(text)
		if !ok {
			fe[field] = label + "应为以元为单位的金额，例如 10000，最多两位小数；没有的请留空。"
			return nil
		}
		return &fen
	}
	fine := func(org bool, minField, maxField, minText, maxText string) (*int64, *int64) {
		party := PartyLabel(org)
		min := amount(minField, party+"罚款下限", minText)
		max := amount(maxField, party+"罚款上限", maxText)
		if fe[minField] != "" || fe[maxField] != "" {
			return nil, nil
		}
		switch {
		case min == nil && max == nil:
			return nil, nil
		case min == nil:
			zero := int64(0)
			min = &zero
		case max != nil && *min > *max:
			fe[minField] = fmt.Sprintf("%s罚款下限（%s）高于上限（%s），请更正。", party, zhifa.Yuan(*min), zhifa.Yuan(*max))
			return nil, nil
		}
		return min, max
	}
	p.FineMinPersonFen, p.FineMaxPersonFen = fine(false, "fine_min_person", "fine_max_person", in.FineMinPerson, in.FineMaxPerson)
	p.FineMinOrgFen, p.FineMaxOrgFen = fine(true, "fine_min_org", "fine_max_org", in.FineMinOrg, in.FineMaxOrg)
	if n := utf8.RuneCountInString(p.Other); n > 200 {
		fe["other_penalty"] = "其他行政处罚最多200个字。"
	}
	if in.Kind != "" && in.Kind != "行政处罚" && !p.Empty() {
		fe["penalties"] = "只有行政处罚事项才能填写处罚种类和罚款幅度；" + in.Kind + "事项请留空。"
	}
	if in.Kind != "" && in.Kind != "行政处罚" && p.FirstOffenceList {
		fe["first_offence_list"] = "只有行政处罚事项才能列入首违不罚清单。"
	}
	return p
}

// parseTiers reads "情形 | 幅度" lines.
func parseTiers(text string) ([]Tier, string) {
	tiers := []Tier{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		line = strings.ReplaceAll(line, "｜", "|")
		circ, rng, ok := strings.Cut(line, "|")
		circ, rng = strings.TrimSpace(circ), strings.TrimSpace(rng)
		if !ok || circ == "" || rng == "" {
			return nil, fmt.Sprintf("裁量基准第%d行格式应为“情形 | 处罚幅度”。", i+1)
		}
		tiers = append(tiers, Tier{Circumstance: circ, Range: rng})
	}
	return tiers, ""
}

// TiersText writes tiers back as the form's lines.
func TiersText(tiers []Tier) string {
	var b strings.Builder
	for _, t := range tiers {
		b.WriteString(t.Circumstance + " | " + t.Range + "\n")
	}
	return b.String()
}

// CreateItem adds a catalogue item and returns its id.
func (s *Service) CreateItem(ctx context.Context, in ItemInput) (int64, error) {
	if err := requireAdmin(zhifa.ActorFrom(ctx)); err != nil {
		return 0, err
	}
	it, err := in.Validate()
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		p := &it.Penalties
		err := tx.QueryRow(ctx, `INSERT INTO catalogue_items (code, name, kind, domain_id, violation_basis, penalty_basis,
			penalty_types, penalty_range, former_department, discretion, `+penaltyColumns("")+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
			it.Code, it.Name, it.Kind, it.DomainID, it.ViolationBasis, it.PenaltyBasis, it.PenaltyTypes,
			it.PenaltyRange, it.FormerDept, it.Discretion, p.FineMinPersonFen, p.FineMaxPersonFen, p.FineMinOrgFen,
			p.FineMaxOrgFen, p.Warning, p.Confiscation, p.Suspension, p.Revocation, p.Other, p.FirstOffenceList).Scan(&id)
		return itemWriteError(err)
	})
	s.Ref.Drop(refcache.Settings) // an item's domain picks its cases' settings
	return id, zhifa.Annotate(err, "create item")
}

// UpdateItem edits a catalogue item. Published lists keep their snapshot;
// the change shows in the next draft's difference.
func (s *Service) UpdateItem(ctx context.Context, id int64, in ItemInput) error {
	if err := requireAdmin(zhifa.ActorFrom(ctx)); err != nil {
		return err
	}
	it, err := in.Validate()
	if err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		p := &it.Penalties
		tag, err := tx.Exec(ctx, `UPDATE catalogue_items SET code = $2, name = $3, kind = $4, domain_id = $5,
			violation_basis = $6, penalty_basis = $7, penalty_types = $8, penalty_range = $9,
			former_department = $10, discretion = $11, fine_min_person_fen = $12, fine_max_person_fen = $13,
			fine_min_org_fen = $14, fine_max_org_fen = $15, warning = $16, confiscation = $17, suspension = $18,
			revocation = $19, other_penalty = $20, first_offence_list = $21, updated_at = now() WHERE id = $1`,
			id, it.Code, it.Name, it.Kind, it.DomainID, it.ViolationBasis, it.PenaltyBasis, it.PenaltyTypes,
			it.PenaltyRange, it.FormerDept, it.Discretion, p.FineMinPersonFen, p.FineMaxPersonFen, p.FineMinOrgFen,
			p.FineMaxOrgFen, p.Warning, p.Confiscation, p.Suspension, p.Revocation, p.Other, p.FirstOffenceList)
		if err != nil {
			return itemWriteError(err)
		}
		if tag.RowsAffected() == 0 {
			return zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该执法事项。")
		}
		return nil
	})
	s.Ref.Drop(refcache.Settings) // an item's domain picks its cases' settings
	return zhifa.Annotate(err, "update item")
}

func itemWriteError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "23505" && strings.Contains(pgErr.ConstraintName, "code"):
			return zhifa.FieldErrors{"code": "该事项编码已存在。"}
		case pgErr.Code == "23505" && strings.Contains(pgErr.ConstraintName, "name"):
			return zhifa.FieldErrors{"name": "已有同名事项。"}
		case pgErr.Code == "23503":
			return zhifa.FieldErrors{"domain": "请选择有效的领域。"}
		}
	}
	return err
}

func isUnique(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
