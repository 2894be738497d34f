package api

import (
	_ "embed"
	"net/http"
)

//go:embed web/index.html
var indexHTML []byte

// page serves the web page, at / and at every address that shows a part of
// it (/ui/ID, /ui/ID/BLOCK, /org/ID.html). It holds no data, so it is
// served without a token; the page asks for one and sends it with its API
// calls. Its policy runs its own script and style (/assets/) only: no
// inline script or style, no event handler attribute, no javascript: link.
func (s *server) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; connect-src 'self'; script-src 'self'; "+
		"style-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
	w.Write(indexHTML)
}
