module github.com/wallyqs/borges

go 1.26.0

require github.com/niklasfasching/go-org v1.9.1

require golang.org/x/net v0.59.0 // indirect
