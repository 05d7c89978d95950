/* decode_tab_avx.c — VEX-only forms: AVX, AVX2, F16C, FMA. (VEX forms of
 * SSE instructions sit with their legacy forms in decode_tab_sse.c; BMI is
 * in decode_tab_gp.c.)
 */
#include "translator/x86/decode_forms.h"

// clang-format off
#define V2(opc, key, name, ...) F(M2(opc) | P66 | VEX | (key), name, 0, __VA_ARGS__)
#define V3(opc, key, name, ...) F(M3(opc) | P66 | VEX | (key), name, 0, __VA_ARGS__)
/* FMA: cond = operand order (1 = 132, 2 = 213, 3 = 231) | 4 for scalar */
#define FMA3(lo, name, scalar) \
	FC(M2(0x90 | (lo)) | P66 | VEX, name, 1 | (scalar) * 4, 0, FMAOPS(scalar)), \
	FC(M2(0xa0 | (lo)) | P66 | VEX, name, 2 | (scalar) * 4, 0, FMAOPS(scalar)), \
	FC(M2(0xb0 | (lo)) | P66 | VEX, name, 3 | (scalar) * 4, 0, FMAOPS(scalar))
#define FMAOPS(scalar) SP(V, (scalar) ? 16 : SZ_X), SP(H, (scalar) ? 16 : SZ_X), \
	SP(W, (scalar) ? SZ_Y : SZ_X)

const struct dform x86_forms_avx[] = {
	/* ---- 0F 38 ---- */
	V2(0x0c, W0, VPERMILPS, Vx, Hx, Wx),
	V2(0x0d, W0, VPERMILPD, Vx, Hx, Wx),
	V2(0x0e, W0, VTESTPS, Vx, Wx),
	V2(0x0f, W0, VTESTPD, Vx, Wx),
	V2(0x13, W0, VCVTPH2PS, Vx, Wxh),
	V2(0x16, W0 | L1, VPERMPS, Vx, Hx, Wx),
	V2(0x18, W0, VBROADCASTSS, Vx, Wd),
	V2(0x19, W0 | L1, VBROADCASTSD, Vx, Wq),
	V2(0x1a, W0 | L1 | MEM, VBROADCASTF128, Vx, Mo),
	V2(0x2c, W0 | MEM, VMASKMOVPS, Vx, Hx, Mx),
	V2(0x2d, W0 | MEM, VMASKMOVPD, Vx, Hx, Mx),
	V2(0x2e, W0 | MEM, VMASKMOVPS, Mx, Hx, Vx),
	V2(0x2f, W0 | MEM, VMASKMOVPD, Mx, Hx, Vx),
	V2(0x36, W0 | L1, VPERMD, Vx, Hx, Wx),
	V2(0x45, W0, VPSRLVD, Vx, Hx, Wx),
	V2(0x45, W1, VPSRLVQ, Vx, Hx, Wx),
	V2(0x46, W0, VPSRAVD, Vx, Hx, Wx),
	V2(0x47, W0, VPSLLVD, Vx, Hx, Wx),
	V2(0x47, W1, VPSLLVQ, Vx, Hx, Wx),
	V2(0x58, W0, VPBROADCASTD, Vx, Wd),
	V2(0x59, W0, VPBROADCASTQ, Vx, Wq),
	V2(0x5a, W0 | L1 | MEM, VBROADCASTI128, Vx, Mo),
	V2(0x78, W0, VPBROADCASTB, Vx, Wb),
	V2(0x79, W0, VPBROADCASTW, Vx, Ww),
	V2(0x8c, W0 | MEM, VPMASKMOVD, Vx, Hx, Mx),
	V2(0x8c, W1 | MEM, VPMASKMOVQ, Vx, Hx, Mx),
	V2(0x8e, W0 | MEM, VPMASKMOVD, Mx, Hx, Vx),
	V2(0x8e, W1 | MEM, VPMASKMOVQ, Mx, Hx, Vx),
	V2(0x90, W0, VPGATHERDD, Vx, VSd, Hx),
	V2(0x90, W1, VPGATHERDQ, Vx, VSq, Hx),
	V2(0x91, W0, VPGATHERQD, Vo, VSd, Ho),
	V2(0x91, W1, VPGATHERQQ, Vx, VSq, Hx),
	V2(0x92, W0, VGATHERDPS, Vx, VSd, Hx),
	V2(0x92, W1, VGATHERDPD, Vx, VSq, Hx),
	V2(0x93, W0, VGATHERQPS, Vo, VSd, Ho),
	V2(0x93, W1, VGATHERQPD, Vx, VSq, Hx),
	FMA3(0x6, VFMADDSUB, 0), FMA3(0x7, VFMSUBADD, 0),
	FMA3(0x8, VFMADD, 0), FMA3(0x9, VFMADD, 1),
	FMA3(0xa, VFMSUB, 0), FMA3(0xb, VFMSUB, 1),
	FMA3(0xc, VFNMADD, 0), FMA3(0xd, VFNMADD, 1),
	FMA3(0xe, VFNMSUB, 0), FMA3(0xf, VFNMSUB, 1),

	/* ---- 0F 3A ---- */
	V3(0x00, W1 | L1, VPERMQ, Vx, Wx, Ib),
	V3(0x01, W1 | L1, VPERMPD, Vx, Wx, Ib),
	V3(0x02, W0, VPBLENDD, Vx, Hx, Wx, Ib),
	V3(0x04, W0, VPERMILPS, Vx, Wx, Ib),
	V3(0x05, W0, VPERMILPD, Vx, Wx, Ib),
	V3(0x06, W0 | L1, VPERM2F128, Vx, Hx, Wx, Ib),
	V3(0x18, W0 | L1, VINSERTF128, Vx, Hx, Wo, Ib),
	V3(0x19, W0 | L1, VEXTRACTF128, Wo, Vx, Ib),
	V3(0x1d, W0, VCVTPS2PH, Wxh, Vx, Ib),
	V3(0x38, W0 | L1, VINSERTI128, Vx, Hx, Wo, Ib),
	V3(0x39, W0 | L1, VEXTRACTI128, Wo, Vx, Ib),
	V3(0x46, W0 | L1, VPERM2I128, Vx, Hx, Wx, Ib),
	V3(0x4a, W0, BLENDVPS, Vx, Hx, Wx, Lx),
	V3(0x4b, W0, BLENDVPD, Vx, Hx, Wx, Lx),
	V3(0x4c, W0, PBLENDVB, Vx, Hx, Wx, Lx),
};
const size_t x86_forms_avx_count = sizeof x86_forms_avx / sizeof x86_forms_avx[0];
// clang-format on
