// Package migrations embeds the SQL migrations so the binary carries them.
package migrations

import "embed"

// FS holds the golang-migrate files (NNNN_name.up.sql / .down.sql).
//
//go:embed *.sql
var FS embed.FS
