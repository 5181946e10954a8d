// The libvirt C API, imported into Swift as the CLibvirt module (FulcrumLibvirt is its only user).
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
