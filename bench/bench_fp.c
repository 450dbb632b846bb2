// Compute-bound floating-point benchmark: n-body steps and a matrix product.
#include <math.h>
#include <stdio.h>

#define N 5
static double px[N], py[N], pz[N], vx[N], vy[N], vz[N], m[N];
static double A[160][160], B[160][160], C[160][160];

int main(void) {
  for (int i = 0; i < N; i++) {
    px[i] = i; py[i] = i * 0.5; pz[i] = -i; vx[i] = 0.01 * i; vy[i] = 0; vz[i] = 0.02; m[i] = 1.0 + i;
  }
  for (int step = 0; step < 300000; step++) {
    for (int i = 0; i < N; i++)
      for (int j = i + 1; j < N; j++) {
        double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
        double d2 = dx * dx + dy * dy + dz * dz + 0.01;
        double mag = 0.001 / (d2 * sqrt(d2));
        vx[i] -= dx * m[j] * mag; vy[i] -= dy * m[j] * mag; vz[i] -= dz * m[j] * mag;
        vx[j] += dx * m[i] * mag; vy[j] += dy * m[i] * mag; vz[j] += dz * m[i] * mag;
      }
    for (int i = 0; i < N; i++) { px[i] += 0.001 * vx[i]; py[i] += 0.001 * vy[i]; pz[i] += 0.001 * vz[i]; }
  }
  for (int i = 0; i < 160; i++)
    for (int j = 0; j < 160; j++) { A[i][j] = (i * 7 + j) % 13 * 0.25; B[i][j] = (i + j * 3) % 11 * 0.5; }
  for (int i = 0; i < 160; i++)
    for (int j = 0; j < 160; j++) {
      double s = 0;
      for (int k = 0; k < 160; k++) s += A[i][k] * B[k][j];
      C[i][j] = s;
    }
  printf("%.9f %.9f %.3f\n", px[0], vz[3], C[17][33]);
  return 0;
}
