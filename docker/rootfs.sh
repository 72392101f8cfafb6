#!/bin/sh
# docker/rootfs.sh DEST BINARY...: gathers into DEST the whole file system of the runtime image
# (docker/Dockerfile copies DEST onto an empty `scratch` image). Run in the build stage, where the
# binaries were built and their Debian libraries are installed. Nothing is in DEST unless a
# program that runs in the image needs it:
#
#   usr/local/bin/*                 the binaries given (mysite, db-initializer, origin-group)
#   usr/lib/x86_64-linux-gnu/*.so*  exactly the shared libraries they load: what `ldd` resolves for
#                                   them and for the MariaDB client plugins below, libc and the
#                                   dynamic loader included (same paths as in Debian)
#   .../libmariadb3/plugin/         MariaDB Connector/C loads authentication plugins at run time,
#                                   so ldd cannot see them: mysql_clear_password (RDS IAM tokens),
#                                   caching_sha2_password and sha256_password (MySQL 8 accounts,
#                                   such as Aurora's master user), client_ed25519 (MariaDB)
#   etc/ssl/certs/ca-certificates.crt  the CA bundle libcurl verifies AWS endpoints against
#   etc/passwd, etc/group           root, and the unprivileged `mysite` user (uid 10001) the
#                                   containers run as
#   etc/nsswitch.conf               names from /etc/hosts, then DNS (glibc's built-in modules)
#   tmp/                            world-writable, sticky
#   srv/mysite/var/                 the only place the site writes (owned by mysite in the image)
#
# No shell, no package manager, no coreutils: a container of this image can only run the
# binaries. Written by hand because Debian packages no tool that copies a binary's closure.
set -eu
[ $# -ge 2 ] || { echo "usage: rootfs.sh DEST BINARY..." >&2; exit 2; }
dest=$1; shift
multiarch=$(gcc -print-multiarch)
libdir=/usr/lib/$multiarch
plugins="mysql_clear_password caching_sha2_password sha256_password client_ed25519"

rm -rf "$dest"
mkdir -p "$dest/usr/local/bin" "$dest$libdir/libmariadb3/plugin" "$dest/etc/ssl/certs" \
         "$dest/srv/mysite/var" "$dest/tmp"
chmod 1777 "$dest/tmp"
chown 10001:10001 "$dest/srv/mysite/var"

# Merged /usr, as Debian has it: the ELF interpreter is /lib64/ld-linux-x86-64.so.2.
ln -s usr/lib "$dest/lib"
[ -e /lib64 ] && { mkdir -p "$dest/usr/lib64"; ln -s usr/lib64 "$dest/lib64"; }

elfs=""
for binary in "$@"; do
  install -m 755 "$binary" "$dest/usr/local/bin/"
  elfs="$elfs $binary"
done
for plugin in $plugins; do
  install -m 644 "$libdir/libmariadb3/plugin/$plugin.so" "$dest$libdir/libmariadb3/plugin/"
  elfs="$elfs $libdir/libmariadb3/plugin/$plugin.so"
done

# Every library under the name the loader asks for (the soname ldd prints), in its real
# directory; the interpreter under its canonical path plus the /lib64 link.
# shellcheck disable=SC2086 # $elfs is a list of paths without spaces
ldd $elfs | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1, $1 }' |
  sort -u | while read -r name path; do
    real=$(realpath "$path")
    dir=$(dirname "$real")
    mkdir -p "$dest$dir"
    install -m 644 "$real" "$dest$dir/$(basename "$name")"
  done
interpreter=$(ldd "$1" | awk '$1 ~ /^\// { print $1 }')
if [ -n "$interpreter" ] && [ ! -e "$dest$interpreter" ]; then
  ln -s "$(realpath "$interpreter")" "$dest$interpreter"
fi
chmod 755 "$dest$(realpath "$interpreter")"

install -m 644 /etc/ssl/certs/ca-certificates.crt "$dest/etc/ssl/certs/"
cat > "$dest/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
mysite:x:10001:10001:mysite:/srv/mysite:/sbin/nologin
EOF
cat > "$dest/etc/group" <<'EOF'
root:x:0:
mysite:x:10001:
EOF
echo 'hosts: files dns' > "$dest/etc/nsswitch.conf"
chmod 644 "$dest/etc/passwd" "$dest/etc/group" "$dest/etc/nsswitch.conf"

# The closure is complete when the loader finds every library inside DEST alone.
for binary in "$@"; do
  missing=$(chroot "$dest" "/usr/local/bin/$(basename "$binary")" --help >/dev/null 2>&1 && echo ok || echo failed)
  [ "$missing" = ok ] || { echo "rootfs.sh: $(basename "$binary") does not start inside $dest" >&2; exit 1; }
done
echo "rootfs.sh: $(find "$dest" -type f | wc -l) files, $(du -sh "$dest" | cut -f1) in $dest"
