module github.com/flamelens/flamelens

go 1.26.8

require (
	fyne.io/fyne/v2 v2.7.1 // indirect
	github.com/chzyer/readline v1.5.1 // indirect
	github.com/google/pprof v0.0.0-20261016150608-1facf8f91b50 // indirect
	github.com/ianlancetaylor/demangle v0.0.0-20250417193237-f615e6bd150b // indirect
	github.com/sahilm/fuzzy v0.1.3 // indirect
	golang.org/x/sys v0.32.0 // indirect
)
