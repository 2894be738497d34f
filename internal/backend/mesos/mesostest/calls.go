package mesostest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// postOnly answers a request that is not a POST as the real master and
// agent do (405, Allow: POST); it reports whether r is a POST.
func postOnly(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodPost {
		return true
	}
	w.Header().Set("Allow", "POST")
	http.Error(w, "Expecting 'POST', received '"+r.Method+"'", http.StatusMethodNotAllowed)
	return false
}

// readCall decodes a call of the v1 API (scheduler, executor, operator)
// into call, protobuf or JSON as its Content-Type says; a body that does
// not decode is answered 400 with the real master's words. It reports
// whether the call came as protobuf, and whether it decoded.
func readCall(w http.ResponseWriter, r *http.Request, call interface{ Unmarshal([]byte) error }) (protobuf, ok bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false, false
	}
	protobuf = strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-protobuf")
	if protobuf {
		err = call.Unmarshal(body)
	} else {
		err = json.Unmarshal(body, call)
	}
	if err != nil {
		http.Error(w, "Failed to parse body into Call: "+err.Error(), http.StatusBadRequest)
		return protobuf, false
	}
	return protobuf, true
}
