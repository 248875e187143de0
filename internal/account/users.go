package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/refcache"
	"zhifa/internal/zhifa"
)

const userColumns = `u.id, u.username, u.display_name, u.phone, u.role, u.town_id,
	t.code AS town_code, t.name AS town_name, u.active, u.created_at, u.legal_qualification_no`

// Filter narrows a user list.
type Filter struct {
	TownCode string
	Role     zhifa.Role
}

// List returns the users the actor may see (RLS keeps it to their town for
// town roles), ordered by town then role then name.
func (s *Service) List(ctx context.Context, f Filter) ([]User, error) {
	var out []User
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+userColumns+`
			FROM users u LEFT JOIN towns t ON t.id = u.town_id
			WHERE ($1 = '' OR t.code = $1) AND ($2 = '' OR u.role = $2)
			ORDER BY t.position NULLS FIRST, array_position($3::text[], u.role), u.username`,
			f.TownCode, string(f.Role), roleOrder())
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[User])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

func roleOrder() []string {
	out := make([]string, len(zhifa.Roles))
	for i, r := range zhifa.Roles {
		out[i] = string(r)
	}
	return out
}

// Get returns one user, or ENOTFOUND when it does not exist or is outside
// the actor's town.
func (s *Service) Get(ctx context.Context, id int64) (*User, error) {
	var u User
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		u, err = getUser(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func getUser(ctx context.Context, tx pgx.Tx, id int64) (User, error) {
	rows, _ := tx.Query(ctx, `SELECT `+userColumns+` FROM users u LEFT JOIN towns t ON t.id = u.town_id WHERE u.id = $1`, id)
	u, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[User])
	if errors.Is(err, pgx.ErrNoRows) {
		return u, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该用户。")
	} else if err != nil {
		return u, fmt.Errorf("get user %d: %w", id, err)
	}
	return u, nil
}

// requireAdmin refuses anyone but the county administrator.
func requireAdmin(ctx context.Context) error {
	if a := zhifa.ActorFrom(ctx); a == nil || a.Role != zhifa.RoleCountyAdmin {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级管理员可以管理用户。")
	}
	return nil
}

// Create adds a user (county administrator only) and returns its id.
func (s *Service) Create(ctx context.Context, in UserInput) (int64, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	in.Normalize()
	if err := in.Validate(true); err != nil {
		return 0, err
	}
	if in.Role == zhifa.RoleSupervisor {
		return 0, errSupervisorHere()
	}
	hash, err := s.Hasher.Hash(ctx, in.Password)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		id, err = Insert(ctx, tx, in, hash)
		return err
	})
	s.Ref.Drop(refcache.Officers) // this instance's next page sees it at once
	if err != nil {
		return 0, zhifa.Annotate(err, "create user")
	}
	return id, nil
}

// errSupervisorHere: a 执法监督员 is appointed with a term, on the
// supervisors' page (internal/supervision), not as a plain account.
func errSupervisorHere() error {
	return zhifa.FieldErrors{"role": "执法监督员请在“执法监督员”页面聘任（须填写任期），不在此新建或改为此角色。"}
}

// Insert adds the user in the caller's transaction, with in validated and
// its password already hashed (Create, and the appointment of a 执法监督员,
// which writes the appointment in the same transaction).
func Insert(ctx context.Context, tx pgx.Tx, in UserInput, hash string) (int64, error) {
	townID, err := townIDByCode(ctx, tx, in.TownCode)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO users (username, display_name, phone, role, town_id, password_hash, active, legal_qualification_no)
		VALUES ($1, $2, $3, $4, $5, $6, true, $7) RETURNING id`,
		in.Username, in.DisplayName, in.Phone, in.Role, townID, hash, in.LegalQualificationNo).Scan(&id)
	if isUniqueViolation(err) {
		return 0, zhifa.FieldErrors{"username": "该登录名已被使用，请换一个。"}
	}
	return id, err
}

// Update changes a user's name, phone, role, town and active flag, and its
// password when one is given (county administrator only). Deactivating a
// user or setting its password ends all of its sessions.
func (s *Service) Update(ctx context.Context, id int64, in UserInput) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	in.Normalize()
	if err := in.Validate(false); err != nil {
		return err
	}
	if a := zhifa.ActorFrom(ctx); a.UserID == id && (!in.Active || in.Role != zhifa.RoleCountyAdmin) {
		return zhifa.FieldErrors{"role": "不能停用自己的账号或取消自己的管理员角色。"}
	}
	var hash string
	if in.Password != "" {
		var err error
		if hash, err = s.Hasher.Hash(ctx, in.Password); err != nil {
			return err
		}
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		old, err := getUser(ctx, tx, id)
		if err != nil {
			return err
		}
		// A 执法监督员's town and role come with the appointment (its term
		// is renewed on the supervisors' page); no account becomes one here.
		if (old.Role == zhifa.RoleSupervisor) != (in.Role == zhifa.RoleSupervisor) {
			if old.Role == zhifa.RoleSupervisor {
				return zhifa.FieldErrors{"role": "执法监督员账号不能改为其他角色。"}
			}
			return errSupervisorHere()
		}
		if old.Role == zhifa.RoleSupervisor && (old.TownCode == nil || *old.TownCode != in.TownCode) {
			return zhifa.FieldErrors{"town": "执法监督员的所属镇随聘任确定，不能在此修改；改聘其他镇请重新聘任。"}
		}
		townID, err := townIDByCode(ctx, tx, in.TownCode)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE users SET display_name = $2, phone = $3, role = $4, town_id = $5, active = $6,
			password_hash = CASE WHEN $7 = '' THEN password_hash ELSE $7 END,
			password_changed_at = CASE WHEN $7 = '' THEN password_changed_at ELSE now() END,
			legal_qualification_no = $8,
			updated_at = now() WHERE id = $1`,
			id, in.DisplayName, in.Phone, in.Role, townID, in.Active, hash, in.LegalQualificationNo)
		if err != nil {
			return err
		}
		if !in.Active || hash != "" {
			if err := endSessions(ctx, tx, id, ""); err != nil {
				return err
			}
		}
		// A certificate follows its holder; a role without one keeps it on
		// record but it is no longer listed (the list joins on role).
		if townID != nil {
			_, err = tx.Exec(ctx, `UPDATE certificates SET town_id = $2 WHERE user_id = $1 AND town_id <> $2`, id, *townID)
		}
		return err
	})
	// A user moved or deactivated leaves the cached officer lists at once.
	s.Ref.Drop(refcache.Officers)
	return zhifa.Annotate(err, "update user")
}

// LegalQualification returns the 法律职业资格证书编号 on record for the user,
// "" when there is none, in the caller's transaction (so under its RLS: a
// user outside the actor's reach is ENOTFOUND). For example, a review action
// can check that its reviewer holds the qualification.
func LegalQualification(ctx context.Context, tx pgx.Tx, userID int64) (string, error) {
	var no string
	err := tx.QueryRow(ctx, `SELECT legal_qualification_no FROM users WHERE id = $1`, userID).Scan(&no)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该用户。")
	} else if err != nil {
		return "", fmt.Errorf("legal qualification of user %d: %w", userID, err)
	}
	return no, nil
}

func townIDByCode(ctx context.Context, tx pgx.Tx, code string) (*int64, error) {
	if code == "" {
		return nil, nil
	}
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM towns WHERE code = $1`, code).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, zhifa.FieldErrors{"town": "请选择有效的镇。"}
	}
	return &id, err
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
