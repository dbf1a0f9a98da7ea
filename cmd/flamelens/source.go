package main

import (
	"fmt"
	"io"
	"regexp"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/session"
)

func runList(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens list", synopsis: "[-sample_index X] [FILTERS] [-source_path DIRS] [-trim_path PREFIXES] REGEX SOURCE",
		about: "Prints the source of each function whose name matches REGEX with flat and cum beside every line,\n" +
			"as go tool pprof -list does and in its layout: a ROUTINE header per function and file, then\n" +
			"flat, cum, line number and text. Source files are found where the profile says, under -source_path,\n" +
			"in this machine's Go installation (the standard library) and module cache (dependencies).",
		examples: []string{
			"flamelens list 'json.*object$' cpu.pprof",
			"flamelens list -source_path=$HOME/src/myapp -trim_path=/build Handler cpu.pprof",
			"flamelens list -diff_base=before.pprof Unmarshal after.pprof",
		}}, stdout, stderr)
	src := addSourceFlags(fs)
	if err := parseFlags(fs, args, 2, 2); err != nil {
		return err
	}
	re, err := regexp.Compile(fs.Arg(0))
	if err != nil {
		return usageError{fmt.Sprintf("list: bad REGEX: %v", err)}
	}
	src.granularity = [5]bool{} // a listing is of lines, as pprof's
	src.granularity[model.Lines] = true
	info, s, err := src.table(fs.Arg(1))
	if err != nil {
		return err
	}
	sources := src.sources(info)
	list, _ := output.Lookup("list")
	if err := output.WriteTable(stdout, list, output.Table{Info: info, Stacks: s}, output.Options{Functions: re, Sources: sources}); err != nil {
		return err
	}
	for _, f := range sources.Found() {
		if f.Changed {
			fmt.Fprintf(stderr, "flamelens: warning: %s changed since the profile was taken: its lines may not be the ones profiled\n", f.Path)
		}
	}
	return nil
}

// sources finds the source files of the profile info describes, where
// the flags say.
func (sf *sourceFlags) sources(info *model.Info) *session.Sources {
	return &session.Sources{Paths: session.SourcePaths{SourcePath: sf.sourcePath, TrimPath: sf.trimPath}, Taken: info.Taken()}
}

func runDisasm(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens disasm", synopsis: "[-binary PROGRAM] [-sample_index X] [FILTERS] REGEX SOURCE",
		about: "Prints the machine instructions of each function whose name matches REGEX with flat and cum beside\n" +
			"every instruction, as go tool pprof -disasm does and in its layout: a ROUTINE header per function, then\n" +
			"flat, cum, address and instruction, with the function, file and line where they change. The program is\n" +
			"-binary, else the path the profile names, the profile's folder or $PPROF_BINARY_PATH, and must be the\n" +
			"build profiled when the profile records a build ID. Code is decoded in-process (amd64, 386, arm64, arm).",
		examples: []string{
			"flamelens disasm -binary ./sort.test 'insertionSort' cpu.pprof",
			"flamelens disasm 'json.*object$' cpu.pprof",
		}}, stdout, stderr)
	src := addSourceFlags(fs)
	binary := fs.String("binary", "", "the profiled `program` (default: the path in the profile)")
	if err := parseFlags(fs, args, 2, 3); err != nil {
		return err
	}
	regex, path := fs.Arg(0), fs.Arg(fs.NArg()-1)
	if fs.NArg() == 3 { // pprof's order: REGEX PROGRAM SOURCE
		if *binary != "" {
			return usageError{"disasm: the program is given twice, as -binary and as an argument"}
		}
		*binary = fs.Arg(1)
	}
	re, err := regexp.Compile(regex)
	if err != nil {
		return usageError{fmt.Sprintf("disasm: bad REGEX: %v", err)}
	}
	src.granularity = [5]bool{} // costs are per address, as pprof's
	src.granularity[model.Addresses] = true
	info, s, err := src.table(path)
	if err != nil {
		return err
	}
	var programs session.Programs
	f, prog, err := programs.Find(info, *binary)
	if err != nil {
		return err
	}
	asm, _ := output.Lookup("disasm")
	return output.WriteTable(stdout, asm, output.Table{Info: info, Stacks: s}, output.Options{Functions: re, Program: output.Program{File: f, Program: prog}})
}
