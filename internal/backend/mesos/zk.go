package mesos

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
)

// zkLeader finds the leading master registered in ZooKeeper, as Mesos
// masters do under the zk:// path: each master holds an ephemeral
// sequential znode "json.info_NNNNNNNNNN" with its MasterInfo as JSON; the
// lowest sequence leads.
func zkLeader(zkURL string, timeout time.Duration) (string, error) {
	u, err := url.Parse(zkURL)
	if err != nil || u.Scheme != "zk" || u.Host == "" {
		return "", fmt.Errorf("%s: not a zk://host:port[,host:port]/path address", zkURL)
	}
	servers := strings.Split(u.Host, ",")
	path := u.Path
	if path == "" {
		path = "/mesos"
	}
	conn, events, err := zk.Connect(servers, timeout, zk.WithLogInfo(false), zk.WithLogger(silent{}))
	if err != nil {
		return "", fmt.Errorf("zookeeper %s: %w", u.Host, err)
	}
	defer conn.Close()
	deadline := time.After(timeout)
	for connected := false; !connected; {
		select {
		case ev := <-events:
			connected = ev.State == zk.StateHasSession
		case <-deadline:
			return "", fmt.Errorf("zookeeper %s: no session within %s", u.Host, timeout)
		}
	}
	children, _, err := conn.Children(path)
	if err != nil {
		return "", fmt.Errorf("zookeeper %s%s: %w", u.Host, path, err)
	}
	var infos []string
	for _, c := range children {
		if strings.HasPrefix(c, "json.info_") {
			infos = append(infos, c)
		}
	}
	if len(infos) == 0 {
		return "", fmt.Errorf("zookeeper %s%s: no master registered", u.Host, path)
	}
	sort.Strings(infos) // fixed-width sequence numbers sort as numbers
	data, _, err := conn.Get(path + "/" + infos[0])
	if err != nil {
		return "", fmt.Errorf("zookeeper %s%s: %w", u.Host, path, err)
	}
	var info struct {
		Hostname string `json:"hostname"`
		Port     int    `json:"port"`
		Address  struct {
			Hostname string `json:"hostname"`
			IP       string `json:"ip"`
			Port     int    `json:"port"`
		} `json:"address"`
	}
	if err := json.Unmarshal(data, &info); err != nil {
		return "", fmt.Errorf("zookeeper %s: master info: %w", infos[0], err)
	}
	host, port := info.Address.IP, info.Address.Port
	if host == "" {
		host = info.Address.Hostname
	}
	if host == "" {
		host, port = info.Hostname, info.Port
	}
	if host == "" || port == 0 {
		return "", errors.New("zookeeper: the leading master's info has no address")
	}
	return fmt.Sprintf("http://%s:%d/api/v1/scheduler", host, port), nil
}

// silent keeps the ZooKeeper client's chatter out of Borges' log.
type silent struct{}

func (silent) Printf(string, ...any) {}
