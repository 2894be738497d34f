package mesos

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Agents are known from offers and from the master: an agent that makes
// no offer to Borges (all its resources used, or Borges suppressed) still
// serves the sandboxes of the tasks it runs, after a restart of Borges too.

// agentsRefresh is the least time between two reads of the master's list.
const agentsRefresh = 2 * time.Second

// agentURL returns an agent's base URL, reading the master's agent list
// when the agent is not known yet.
func (b *Backend) agentURL(ctx context.Context, agentID string) string {
	b.mu.Lock()
	url := b.agents[agentID]
	stale := time.Since(b.agentsRead) > agentsRefresh
	b.mu.Unlock()
	if url != "" || agentID == "" || !stale {
		return url
	}
	if err := b.readAgents(ctx); err != nil {
		b.log.Warn("reading the master's agents", "err", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.agents[agentID]
}

// readAgents adds the agents the master knows (its /slaves) to the map.
func (b *Backend) readAgents(ctx context.Context) error {
	b.mu.Lock()
	b.agentsRead = time.Now()
	base := strings.TrimSuffix(b.endpoint, "/api/v1/scheduler")
	b.mu.Unlock()
	if !strings.Contains(base, "://") {
		return nil // zk:// not resolved yet
	}
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/slaves", nil)
	if err != nil {
		return err
	}
	if b.cfg.Principal != "" {
		req.SetBasicAuth(b.cfg.Principal, b.cfg.Secret)
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s/slaves: %s", base, resp.Status)
	}
	var list struct {
		Slaves []struct {
			ID       string `json:"id"`
			Hostname string `json:"hostname"`
			Port     int    `json:"port"`
			PID      string `json:"pid"` // slave(1)@IP:PORT
		} `json:"slaves"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return fmt.Errorf("GET %s/slaves: %w", base, err)
	}
	scheme := "http"
	if strings.HasPrefix(base, "https://") {
		scheme = "https"
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range list.Slaves {
		addr := s.Hostname + ":" + strconv.Itoa(s.Port)
		if _, hostPort, ok := strings.Cut(s.PID, "@"); ok && hostPort != "" {
			addr = hostPort
		}
		if s.ID != "" && b.agents[s.ID] == "" {
			b.agents[s.ID] = scheme + "://" + addr
		}
	}
	return nil
}
