package mesostest

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
)

// The fake agents' Docker containerizer does what a real agent started with
// --containerizers=docker,mesos does for a task with a ContainerInfo: it
// pulls the image if the engine lacks it, then runs the task's command with
// the Docker CLI (as the agent's docker executor does) in a container
// named mesos-<container id>, the sandbox mounted at /mnt/mesos/sandbox and
// its working directory, the command run by /bin/sh -c for a shell
// command, cpus as --cpu-shares (1024 a CPU) and mem as --memory. The
// container's output goes to the sandbox's stdout and stderr, where the
// files API serves it. A Mesos-containerizer task with a Docker image is
// run the same way, on the engine's image store rather than Mesos's
// provisioner: the fake has no provisioner of its own.

// mesosSandbox is where the sandbox appears inside a container.
const mesosSandbox = "/mnt/mesos/sandbox"

// containerImage is the Docker image a ContainerInfo asks for, and its
// network ("" for the Mesos containerizer: the host's).
func containerImage(c *mesos.ContainerInfo) (image, network string, ok bool) {
	switch {
	case c.GetType() == mesos.ContainerInfo_DOCKER && c.Docker != nil:
		network = "host"
		switch c.Docker.GetNetwork() {
		case mesos.ContainerInfo_DockerInfo_BRIDGE:
			network = "bridge"
		case mesos.ContainerInfo_DockerInfo_NONE:
			network = "none"
		}
		return c.Docker.Image, network, true
	case c.GetType() == mesos.ContainerInfo_MESOS && c.Mesos != nil && c.Mesos.Image != nil && c.Mesos.Image.Docker != nil:
		return c.Mesos.Image.Docker.Name, "host", true
	}
	return "", "", false
}

// withTag is an image reference as the agent pulls it: ":latest" when
// it names no tag or digest.
func withTag(image string) string {
	last := image[strings.LastIndex(image, "/")+1:]
	if strings.ContainsAny(last, ":@") {
		return image
	}
	return image + ":latest"
}

// dockerRun prepares the docker run of a task; failure is the message of
// the TASK_FAILED a real agent sends when it cannot launch one.
func dockerRun(t *task, env []string) (cmd *exec.Cmd, failure string) {
	image, network, ok := containerImage(t.info.Container)
	if !ok {
		return nil, fmt.Sprintf("Failed to launch container: unsupported ContainerInfo %s", t.info.Container.GetType())
	}
	if !t.agent.spec.Docker {
		return nil, fmt.Sprintf("Failed to launch container: No containerizer supports the container of task %s (the agent runs no Docker containerizer)", t.id)
	}
	image = withTag(image)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if exec.CommandContext(ctx, "docker", "image", "inspect", image).Run() != nil {
		var stderr bytes.Buffer
		pull := exec.CommandContext(ctx, "docker", "pull", image)
		pull.Stderr = &stderr
		if err := pull.Run(); err != nil {
			return nil, fmt.Sprintf("Failed to launch container: Failed to run 'docker pull %s': %v; stderr='%s'", image, err, strings.TrimSpace(stderr.String()))
		}
	}
	args := []string{"run", "--name", "mesos-" + t.container, "--net", network,
		"-v", t.sandbox + ":" + mesosSandbox, "-w", mesosSandbox,
		"-e", "MESOS_SANDBOX=" + mesosSandbox, "-e", "MESOS_TASK_ID=" + t.id}
	for _, kv := range env {
		args = append(args, "-e", kv)
	}
	if t.res.cpus > 0 {
		args = append(args, "--cpu-shares", strconv.Itoa(int(t.res.cpus*1024)))
	}
	if t.res.mem > 0 {
		args = append(args, "--memory", strconv.Itoa(int(t.res.mem))+"m")
	}
	cmdInfo := t.info.GetCommand()
	if cmdInfo.Shell == nil || *cmdInfo.Shell {
		args = append(args, "--entrypoint", "/bin/sh", image, "-c", cmdInfo.GetValue())
	} else {
		if cmdInfo.Value != nil {
			args = append(args, "--entrypoint", cmdInfo.GetValue())
		}
		args = append(args, image)
		args = append(args, cmdInfo.Arguments...)
	}
	return exec.Command("docker", args...), ""
}

// stopContainer stops a task's container, as the docker executor does on
// a kill: SIGTERM, SIGKILL after the grace period.
func stopContainer(t *task, grace time.Duration) {
	go exec.Command("docker", "stop", "-t", strconv.Itoa(int(grace/time.Second)), "mesos-"+t.container).Run()
}

// removeContainer removes a task's container whatever its state (agent
// lost, fake shut down).
func removeContainer(t *task) {
	exec.Command("docker", "rm", "-f", "mesos-"+t.container).Run()
}
