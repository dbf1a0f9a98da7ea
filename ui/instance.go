package ui

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// A running flamelens listens on a Unix socket, so that a profile opened
// while it runs (from a file manager, or a terminal) opens in a new window
// of it rather than in a second process: one request per connection, the
// window's Options as a line of JSON, answered "ok".

// InstanceSocket is where a running flamelens listens: $FLAMELENS_SOCKET,
// else flamelens.sock in $XDG_RUNTIME_DIR (private to the user), else a
// name with the user's ID in the temporary folder.
func InstanceSocket() string {
	if s := os.Getenv("FLAMELENS_SOCKET"); s != "" {
		return s
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		return filepath.Join(dir, "flamelens.sock")
	}
	return filepath.Join(os.TempDir(), "flamelens-"+strconv.Itoa(os.Getuid())+".sock")
}

// SendToRunning asks the flamelens listening on socket to open a window
// with opts, and reports whether one did. No flamelens listening is not an
// error: it reports false.
func SendToRunning(socket string, opts Options) (bool, error) {
	conn, err := net.DialTimeout("unix", socket, time.Second)
	if err != nil {
		return false, nil
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if err := json.NewEncoder(conn).Encode(opts); err != nil {
		return false, fmt.Errorf("handing %q to the running flamelens: %w", opts.Source, err)
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || reply != "ok\n" {
		return false, fmt.Errorf("the running flamelens (%s) did not answer: %v", socket, err)
	}
	return true, nil
}

// Listener takes open requests for a running flamelens.
type Listener struct {
	ln     net.Listener
	socket string
	wg     sync.WaitGroup
}

// Listen listens on socket and calls open (on its own goroutine) with the
// Options of each request until Close. A socket file left by a flamelens
// that is no longer running is replaced; one in use is an error.
func Listen(socket string, open func(Options)) (*Listener, error) {
	ln, err := net.Listen("unix", socket)
	if errors.Is(err, syscall.EADDRINUSE) {
		if conn, dialErr := net.DialTimeout("unix", socket, time.Second); dialErr == nil {
			conn.Close()
			return nil, fmt.Errorf("another flamelens is listening on %s", socket)
		}
		os.Remove(socket) // stale: its flamelens is gone
		ln, err = net.Listen("unix", socket)
	}
	if err != nil {
		return nil, err
	}
	os.Chmod(socket, 0o600)
	l := &Listener{ln: ln, socket: socket}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // closed
			}
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				if opts, ok := serve(conn); ok {
					open(opts)
				}
			}()
		}
	}()
	return l, nil
}

// serve reads one request (at most 1 MiB) and answers it.
func serve(conn net.Conn) (Options, bool) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(&limitedConn{conn, 1 << 20}).ReadBytes('\n')
	if err != nil {
		return Options{}, false
	}
	var opts Options
	if err := json.Unmarshal(line, &opts); err != nil {
		return Options{}, false
	}
	_, err = conn.Write([]byte("ok\n"))
	return opts, err == nil
}

type limitedConn struct {
	net.Conn
	left int
}

func (c *limitedConn) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errors.New("request too long")
	}
	n, err := c.Conn.Read(p[:min(len(p), c.left)])
	c.left -= n
	return n, err
}

// Close stops listening, removes the socket and waits for requests under way.
func (l *Listener) Close() error {
	err := l.ln.Close()
	l.wg.Wait()
	os.Remove(l.socket)
	return err
}
