// Intel ISA-L's igzip inflate: gzip layers decompress two to three times faster than
// with zlib (libarchive's gzip filter), which is what bounds a layer apply.
#include <isa-l/igzip_lib.h>
