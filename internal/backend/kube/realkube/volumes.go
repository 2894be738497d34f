package realkube

import (
	"context"
	"os"
	"path/filepath"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// AddVolume makes a persistent volume of the given size (a directory of
// the cluster's, removed with it), as a cluster's administrator provides
// them: a claim without a storage class that fits is bound to it by the
// controller manager. The cluster has no storage class nor provisioner.
func (c *Cluster) AddVolume(name, size string) {
	c.t.Helper()
	dir := filepath.Join(c.dir, "volumes", name)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		c.t.Fatal(err)
	}
	q, err := resource.ParseQuantity(size)
	if err != nil {
		c.t.Fatal(err)
	}
	pv := &corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PersistentVolumeSpec{
		Capacity:                      corev1.ResourceList{corev1.ResourceStorage: q},
		AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
		PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain,
		PersistentVolumeSource:        corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: dir}}}}
	if _, err := c.client.CoreV1().PersistentVolumes().Create(context.Background(), pv, metav1.CreateOptions{}); err != nil {
		c.t.Fatal(err)
	}
}
