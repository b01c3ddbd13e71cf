/* A test-only stand-in for Windows 10's bcryptprimitives.dll, which Wine 8.0
 * lacks: Go 1.24+ programs call its ProcessPrng at start. It fills the buffer
 * from advapi32's RtlGenRandom (SystemFunction036), at most 1 MiB a call.
 * Built by the wintest driver into a throwaway Wine prefix; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG n = size > (1u << 20) ? (1u << 20) : (ULONG)size;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        size -= n;
    }
    return TRUE;
}
