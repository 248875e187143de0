// Package server is the HTTP layer: the chi router, middleware, handlers
// that call the domain services, and rendering of the templ pages.
package server

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"zhifa/internal/account"
	"zhifa/internal/audit"
	"zhifa/internal/authority"
	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/documents"
	"zhifa/internal/filestore"
	"zhifa/internal/officer"
	"zhifa/internal/pdf"
	"zhifa/internal/refcache"
	"zhifa/internal/supervision"
	"zhifa/internal/town"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// Config holds the HTTP settings.
type Config struct {
	SecureCookies   bool          // set behind HTTPS
	SessionIdle     time.Duration // idle timeout
	SessionLifetime time.Duration // absolute timeout
	// TrustedProxies are the CIDR prefixes of reverse proxies whose
	// X-Forwarded-For is believed; empty = clients connect directly.
	TrustedProxies []string
	// SessionCleanup is how often expired sessions are deleted (0 = never: tests).
	SessionCleanup time.Duration
	// Files keeps the evidence files (ZHIFA_FILES).
	Files filestore.Store
	// RefChannel is the channel the reference cache listens on; "" is the
	// triggers' own (refcache.Channel). Tests set another to make an
	// instance that hears no notification.
	RefChannel string
}

// Server wires the services to the router.
type Server struct {
	DB        *database.DB
	Accounts  *account.Service
	Officers  *officer.Service
	Towns     *town.Service
	Authority *authority.Service
	Cases     *cases.Service
	Docs      *documents.Service
	PDF       *pdf.Renderer // prints the dossier; started on first use, Close on shutdown
	Sessions  *scs.SessionManager
	Clock     zhifa.Clock
	Log       *slog.Logger
	Audit     *audit.Service  // the access log (audit.go)
	Ref       *refcache.Cache // reference data in memory (refcache.go)
	cfg       Config
	// partialReads are the evidence files whose partial reads (a video
	// playing) were logged lately: see auditReads.
	partialReads recentReads
	// background counts work started by requests that outlives them.
	background sync.WaitGroup
}

// Wait blocks until background work (due-date refreshes) has finished.
func (s *Server) Wait() { s.background.Wait() }

// New builds the server and its session manager (sessions live in PostgreSQL).
func New(db *database.DB, accounts *account.Service, clock zhifa.Clock, log *slog.Logger, cfg Config) *Server {
	sm := scs.New()
	sm.Codec = sessionCodec{} // compact, and the same values give the same bytes (quietStore)
	// pgxstore's table and cleanup, read and written by quietStore.
	sm.Store = &quietStore{PostgresStore: pgxstore.NewWithCleanupInterval(db.Pool, cfg.SessionCleanup),
		pool: db.Pool, touch: sessionTouch(cfg.SessionIdle)}
	sm.IdleTimeout = cfg.SessionIdle
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = "zhifa_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		log.Error("session store", "err", err, "request_id", middleware.GetReqID(r.Context()))
		http.Error(w, "会话服务暂不可用，请稍后重试。", http.StatusInternalServerError)
	}
	docs := &documents.Service{DB: db, Clock: clock, Render: web.RenderDocument, Files: cfg.Files}
	ref := refcache.New(clock) // bypassed until ListenForChanges listens
	if cfg.RefChannel != "" {
		ref.Channel = cfg.RefChannel
	}
	accounts.Ref = ref
	// A 执法监督员 logs in only within their term (internal/supervision).
	accounts.LoginCheck = (&supervision.Service{DB: db, Clock: clock, Accounts: accounts}).CheckTerm
	return &Server{
		DB:        db,
		Accounts:  accounts,
		Officers:  &officer.Service{DB: db, Clock: clock, Ref: ref},
		Towns:     &town.Service{DB: db, Ref: ref},
		Authority: &authority.Service{DB: db, Clock: clock, Ref: ref},
		Cases:     &cases.Service{DB: db, Clock: clock, Docs: docs, Files: cfg.Files, Ref: ref},
		Ref:       ref,
		Docs:      docs,
		PDF:       pdf.New(),
		Sessions:  sm,
		Clock:     clock,
		Log:       log,
		Audit:     &audit.Service{DB: db, Clock: clock},
		cfg:       cfg,
	}
}

// Handler returns the router. Middleware runs in layers: request id, client
// address, recovery and logging; then sessions and CSRF; then the actor and
// role checks per route group.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	if len(s.cfg.TrustedProxies) > 0 {
		r.Use(middleware.ClientIPFromXFF(s.cfg.TrustedProxies...))
	} else {
		r.Use(middleware.ClientIPFromRemoteAddr)
	}
	r.Use(s.logRequests)
	r.Use(s.recoverPanics)
	r.Use(securityHeaders)
	r.Use(s.rejectBadQuery) // NUL or invalid UTF-8 in the path or query: 400

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/static/*", staticFiles())

	// The published item lists are public: no login, no session.
	r.With(s.requestTx).Get("/public/towns", s.publicTowns)
	r.With(s.requestTx).Route("/public/towns/{code}", func(r chi.Router) {
		const base = "/public/towns/{code}/items"
		r.Get("/", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/public/towns/"+chi.URLParam(r, "code")+"/items", http.StatusSeeOther)
		})
		r.Get("/items", s.itemList(base, true))
		r.Get("/items.csv", s.itemDownload(base, "csv"))
		r.Get("/items.xlsx", s.itemDownload(base, "xlsx"))
	})
	// The public home page and the published decisions (publication.go).
	r.With(s.requestTx).Group(s.publicRoutes)
	r.Mount("/", s.app())
	return r
}

// app is every page that has a session.
func (s *Server) app() http.Handler {
	r := chi.NewRouter()
	r.Use(http.NewCrossOriginProtection().Handler)
	r.Use(seenSessions) // what the session's Find read, so that an unchanged session is not written
	r.Use(s.Sessions.LoadAndSave)
	r.Use(markSession)
	r.Use(s.limitUploads) // before anything reads an upload's body
	r.Use(s.csrf)
	r.Use(s.rejectBadForm) // NUL or invalid UTF-8 in a form: 400
	r.Use(s.loadActor)
	r.Use(s.requestTx) // a GET's reads share one transaction (request_tx.go)
	r.Use(s.navAhead)  // and the menu's counts go with its first statement
	r.Use(noStore)     // personal data: nothing sent to a logged-in user is cached
	{

		r.Get("/login", s.loginForm)
		r.Post("/login", s.login)
		r.Post("/logout", s.logout)
		r.Get("/session/keepalive", s.keepAlive)

		r.Group(func(r chi.Router) {
			r.Use(s.requireLogin)
			r.Use(s.supervisorInTerm) // a 执法监督员 whose term ended is refused everything
			// The pages a 执法监督员 reaches, besides the public ones: their
			// start page, their opinions, their town's statistics and their
			// password. Each handler (or its package) serves the role its
			// own view.
			r.Get("/", s.homeFor)
			r.Get("/account/password", s.passwordForm)
			r.Post("/account/password", s.changePassword)
			s.statsRoutes(r)       // 统计分析, /stats (stats.go)
			s.supervisionRoutes(r) // 执法监督员 and their opinions, /supervision (supervision.go)

			// Everything else is the staff's: no case, officer, list or
			// setting page answers a 执法监督员 (403).
			r.Group(s.staffRoutes)
		})
	}
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, zhifa.Errorf(zhifa.ENOTFOUND, "您访问的页面不存在。"))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "不支持此操作。"))
	})
	return r
}

// staffRoutes are the pages of the enforcement staff: every role but the
// 执法监督员 (requireStaff).
func (s *Server) staffRoutes(r chi.Router) {
	r.Use(s.requireStaff)
	r.Get("/officers", s.listOfficers)
	r.Route("/officers/{userID}", func(r chi.Router) {
		r.Use(s.officerCtx)
		r.Get("/", s.showOfficer)
		r.Get("/certificate", s.certificateForm)
		r.Post("/certificate", s.saveCertificate)
	})

	r.With(s.requireRoles(zhifa.RoleCountyReviewer, zhifa.RoleCountyAdmin)).Get("/towns", s.listTowns)
	r.With(s.requireRoles(zhifa.RoleCountyReviewer, zhifa.RoleCountyAdmin)).Get("/audit", s.auditPage)

	r.Get("/settings", s.settingsPage)
	r.Get("/settings/holidays", s.holidaysPage)
	r.With(s.requireRoles(zhifa.RoleCountyAdmin)).Post("/settings", s.saveSetting)
	r.With(s.requireRoles(zhifa.RoleCountyAdmin)).Post("/settings/domain", s.saveDomainSetting)
	r.With(s.requireRoles(zhifa.RoleCountyAdmin)).Post("/settings/domain/remove", s.removeDomainSetting)
	r.With(s.requireRoles(zhifa.RoleCountyAdmin)).Post("/settings/holidays", s.addHoliday)
	r.With(s.requireRoles(zhifa.RoleCountyAdmin)).Post("/settings/holidays/remove", s.removeHoliday)
	r.Get("/settings/documents", s.documentSettingsPage)
	r.With(s.requireRoles(zhifa.RoleCountyAdmin)).Post("/settings/documents", s.saveDocumentSettings)
	s.filingRoutes(r)     // 重大行政处罚决定备案审查, /settings/major
	s.correctionRoutes(r) // 整改任务
	s.evaluationRoutes(r) // 案卷评查, /settings/evaluation-sheet
	s.trainingRoutes(r)   // 培训记录, /training (training.go)
	r.Get("/cases", s.listCases)
	r.Get("/cases.xlsx", s.exportCases) // the filtered list, as the page's query string says
	r.With(s.requireRoles(zhifa.RoleTownReviewer, zhifa.RoleCountyReviewer)).Get("/review", s.reviewQueue)
	r.With(s.requireRoles(zhifa.RoleOfficer, zhifa.RoleLeader)).Get("/cases/new", s.newCaseForm)
	r.With(s.requireRoles(zhifa.RoleOfficer, zhifa.RoleLeader)).Post("/cases/new", s.createCase)
	r.Route("/cases/{caseID}", func(r chi.Router) {
		r.Use(s.caseCtx)
		r.Use(s.auditReads) // who read what of the case: the access log
		r.Get("/", s.showCase)
		r.Get("/dossier", s.showDossier)
		r.Get("/dossier.pdf", s.downloadDossier)
		r.Post("/act", s.actOnCase)
		r.Post("/evidence", s.uploadEvidence)
		r.Get("/evidence/{evidenceID}", s.downloadEvidence)
		r.Post("/evidence/{evidenceID}/supersede", s.supersedeEvidence)
		s.documentRoutes(r)
		s.sceneRoutes(r)       // 现场笔录分步填写 (scene.go)
		s.publicationRoutes(r) // 处罚决定公示 of this case (publication.go)
	})

	r.Route("/authority", func(r chi.Router) {
		r.Get("/", s.authorityHome)
		r.Route("/towns/{code}", func(r chi.Router) {
			const base = "/authority/towns/{code}/items"
			r.Use(s.ownTownOnly)
			r.Get("/", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/authority/towns/"+chi.URLParam(r, "code")+"/items", http.StatusSeeOther)
			})
			r.Get("/items", s.itemList(base, false))
			r.Get("/items.csv", s.itemDownload(base, "csv"))
			r.Get("/items.xlsx", s.itemDownload(base, "xlsx"))
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRoles(zhifa.RoleCountyReviewer, zhifa.RoleCountyAdmin))
			r.Get("/catalogue", s.catalogue)
			r.Get("/drafts", s.listDrafts)
			r.Get("/drafts/{draftID}", s.showDraft)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRoles(zhifa.RoleCountyAdmin))
			r.Get("/catalogue/new", s.newItemForm)
			r.Post("/catalogue/new", s.createItem)
			r.Get("/catalogue/{itemID}", s.editItemForm)
			r.Post("/catalogue/{itemID}", s.updateItem)
			r.Get("/domains", s.listDomains)
			r.Post("/domains", s.createDomain)
			r.Get("/villages", s.listVillages)
			r.Post("/villages", s.addVillage)
			r.Post("/villages/remove", s.removeVillage)
			r.Post("/drafts", s.createDraft)
			r.Post("/drafts/{draftID}", s.saveDraft)
			r.Post("/drafts/{draftID}/publish", s.publishDraft)
			r.Post("/drafts/{draftID}/discard", s.discardDraft)
		})
	})

	r.Route("/admin/users", func(r chi.Router) {
		r.Use(s.requireRoles(zhifa.RoleCountyAdmin))
		r.Get("/", s.listUsers)
		r.Get("/new", s.newUserForm)
		r.Post("/new", s.createUser)
		r.Get("/{userID}", s.editUserForm)
		r.Post("/{userID}", s.updateUser)
	})
}

func staticFiles() http.Handler {
	fs := http.FileServerFS(web.Static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fs.ServeHTTP(w, r)
	})
}
