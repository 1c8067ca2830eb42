/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`.test-build/test/scoring/kernels.test.js > TAP > the kernels of the standard questionnaire under the default methods > every kernel, as compiled 1`] = `
// pass one: each row's code in every group of columns, at its place in cell order (groups.ts)
function (out, answers, place, part, N) {
'use strict'

    for (let r = 0, row = 0; r < N; r++, row += 47) {
      const at = place[r] * 16
      out[at + 0] = part[0 + answers[row + 0]] + part[256 + answers[row + 1]] + part[512 + answers[row + 2]]
      out[at + 1] = part[768 + answers[row + 3]]
      out[at + 2] = part[1024 + answers[row + 4]] + part[1280 + answers[row + 5]] + part[1536 + answers[row + 6]]
      out[at + 3] = part[1792 + answers[row + 7]] + part[2048 + answers[row + 8]]
      out[at + 4] = part[2304 + answers[row + 9]] + part[2560 + answers[row + 10]] + part[2816 + answers[row + 11]]
      out[at + 5] = part[3072 + answers[row + 12]] + part[3328 + answers[row + 13]] + part[3584 + answers[row + 14]]
      out[at + 6] = part[3840 + answers[row + 15]] + part[4096 + answers[row + 16]] + part[4352 + answers[row + 17]]
      out[at + 7] = part[4608 + answers[row + 18]] + part[4864 + answers[row + 19]] + part[5120 + answers[row + 20]]
      out[at + 8] = part[5376 + answers[row + 21]]
      out[at + 9] = part[5632 + answers[row + 22]] + part[5888 + answers[row + 23]] + part[6144 + answers[row + 24]]
      out[at + 10] = part[6400 + answers[row + 25]] + part[6656 + answers[row + 26]] + part[6912 + answers[row + 27]]
      out[at + 11] = part[7168 + answers[row + 28]] + part[7424 + answers[row + 29]] + part[7680 + answers[row + 30]]
      out[at + 12] = part[7936 + answers[row + 31]] + part[8192 + answers[row + 32]] + part[8448 + answers[row + 33]]
      out[at + 13] = part[8704 + answers[row + 34]] + part[8960 + answers[row + 35]] + part[9216 + answers[row + 36]]
      out[at + 14] = part[9472 + answers[row + 37]] + part[9728 + answers[row + 38]] + part[9984 + answers[row + 39]]
      out[at + 15] = part[10240 + answers[row + 40]]
    }
}

// pass one: each cell's count of every class of every tallied column, cells whose rows share a weight (tally.ts)
function (count, codes, start, cells, local) {
'use strict'

    for (let cell = 0; cell < cells; cell++) {
      const from = start[cell] * 16
      const to = start[cell + 1] * 16
      const o = cell * 123
      if (to - from < 128) {
        for (let p = from; p < to; p += 16) {
          { const k = codes[p + 0]; count[o + 0 + ((k / 1) | 0) % 3] += 1; count[o + 3 + ((k / 3) | 0) % 3] += 1; count[o + 6 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 1]; count[o + 9 + ((k / 1) | 0) % 3] += 1 }
{ const k = codes[p + 2]; count[o + 12 + ((k / 1) | 0) % 3] += 1; count[o + 15 + ((k / 3) | 0) % 3] += 1; count[o + 18 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 3]; count[o + 21 + ((k / 1) | 0) % 3] += 1; count[o + 24 + ((k / 3) | 0) % 3] += 1 }
{ const k = codes[p + 4]; count[o + 27 + ((k / 1) | 0) % 3] += 1; count[o + 30 + ((k / 3) | 0) % 3] += 1; count[o + 33 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 5]; count[o + 36 + ((k / 1) | 0) % 3] += 1; count[o + 39 + ((k / 3) | 0) % 3] += 1; count[o + 42 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 6]; count[o + 45 + ((k / 1) | 0) % 3] += 1; count[o + 48 + ((k / 3) | 0) % 3] += 1; count[o + 51 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 7]; count[o + 54 + ((k / 1) | 0) % 3] += 1; count[o + 57 + ((k / 3) | 0) % 3] += 1; count[o + 60 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 8]; count[o + 63 + ((k / 1) | 0) % 3] += 1 }
{ const k = codes[p + 9]; count[o + 66 + ((k / 1) | 0) % 3] += 1; count[o + 69 + ((k / 3) | 0) % 3] += 1; count[o + 72 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 10]; count[o + 75 + ((k / 1) | 0) % 3] += 1; count[o + 78 + ((k / 3) | 0) % 3] += 1; count[o + 81 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 11]; count[o + 84 + ((k / 1) | 0) % 3] += 1; count[o + 87 + ((k / 3) | 0) % 3] += 1; count[o + 90 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 12]; count[o + 93 + ((k / 1) | 0) % 3] += 1; count[o + 96 + ((k / 3) | 0) % 3] += 1; count[o + 99 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 13]; count[o + 102 + ((k / 1) | 0) % 3] += 1; count[o + 105 + ((k / 3) | 0) % 3] += 1; count[o + 108 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 14]; count[o + 111 + ((k / 1) | 0) % 3] += 1; count[o + 114 + ((k / 3) | 0) % 3] += 1; count[o + 117 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 15]; count[o + 120 + ((k / 1) | 0) % 3] += 1 }
        }
        continue
      }
      for (let p = from; p < to; p += 16) {
        local[0 + codes[p + 0]]++
        local[27 + codes[p + 1]]++
        local[30 + codes[p + 2]]++
        local[57 + codes[p + 3]]++
        local[66 + codes[p + 4]]++
        local[93 + codes[p + 5]]++
        local[120 + codes[p + 6]]++
        local[147 + codes[p + 7]]++
        local[174 + codes[p + 8]]++
        local[177 + codes[p + 9]]++
        local[204 + codes[p + 10]]++
        local[231 + codes[p + 11]]++
        local[258 + codes[p + 12]]++
        local[285 + codes[p + 13]]++
        local[312 + codes[p + 14]]++
        local[339 + codes[p + 15]]++
      }
      { const v0 = local[0]; local[0] = 0; const v1 = local[1]; local[1] = 0; const v2 = local[2]; local[2] = 0; const v3 = local[3]; local[3] = 0; const v4 = local[4]; local[4] = 0; const v5 = local[5]; local[5] = 0; const v6 = local[6]; local[6] = 0; const v7 = local[7]; local[7] = 0; const v8 = local[8]; local[8] = 0; const v9 = local[9]; local[9] = 0; const v10 = local[10]; local[10] = 0; const v11 = local[11]; local[11] = 0; const v12 = local[12]; local[12] = 0; const v13 = local[13]; local[13] = 0; const v14 = local[14]; local[14] = 0; const v15 = local[15]; local[15] = 0; const v16 = local[16]; local[16] = 0; const v17 = local[17]; local[17] = 0; const v18 = local[18]; local[18] = 0; const v19 = local[19]; local[19] = 0; const v20 = local[20]; local[20] = 0; const v21 = local[21]; local[21] = 0; const v22 = local[22]; local[22] = 0; const v23 = local[23]; local[23] = 0; const v24 = local[24]; local[24] = 0; const v25 = local[25]; local[25] = 0; const v26 = local[26]; local[26] = 0; count[o + 0] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 1] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 2] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 3] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 4] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 5] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 6] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 7] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 8] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[27]; local[27] = 0; const v1 = local[28]; local[28] = 0; const v2 = local[29]; local[29] = 0; count[o + 9] = v0; count[o + 10] = v1; count[o + 11] = v2 }
      { const v0 = local[30]; local[30] = 0; const v1 = local[31]; local[31] = 0; const v2 = local[32]; local[32] = 0; const v3 = local[33]; local[33] = 0; const v4 = local[34]; local[34] = 0; const v5 = local[35]; local[35] = 0; const v6 = local[36]; local[36] = 0; const v7 = local[37]; local[37] = 0; const v8 = local[38]; local[38] = 0; const v9 = local[39]; local[39] = 0; const v10 = local[40]; local[40] = 0; const v11 = local[41]; local[41] = 0; const v12 = local[42]; local[42] = 0; const v13 = local[43]; local[43] = 0; const v14 = local[44]; local[44] = 0; const v15 = local[45]; local[45] = 0; const v16 = local[46]; local[46] = 0; const v17 = local[47]; local[47] = 0; const v18 = local[48]; local[48] = 0; const v19 = local[49]; local[49] = 0; const v20 = local[50]; local[50] = 0; const v21 = local[51]; local[51] = 0; const v22 = local[52]; local[52] = 0; const v23 = local[53]; local[53] = 0; const v24 = local[54]; local[54] = 0; const v25 = local[55]; local[55] = 0; const v26 = local[56]; local[56] = 0; count[o + 12] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 13] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 14] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 15] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 16] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 17] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 18] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 19] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 20] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[57]; local[57] = 0; const v1 = local[58]; local[58] = 0; const v2 = local[59]; local[59] = 0; const v3 = local[60]; local[60] = 0; const v4 = local[61]; local[61] = 0; const v5 = local[62]; local[62] = 0; const v6 = local[63]; local[63] = 0; const v7 = local[64]; local[64] = 0; const v8 = local[65]; local[65] = 0; count[o + 21] = v0 + v3 + v6; count[o + 22] = v1 + v4 + v7; count[o + 23] = v2 + v5 + v8; count[o + 24] = v0 + v1 + v2; count[o + 25] = v3 + v4 + v5; count[o + 26] = v6 + v7 + v8 }
      { const v0 = local[66]; local[66] = 0; const v1 = local[67]; local[67] = 0; const v2 = local[68]; local[68] = 0; const v3 = local[69]; local[69] = 0; const v4 = local[70]; local[70] = 0; const v5 = local[71]; local[71] = 0; const v6 = local[72]; local[72] = 0; const v7 = local[73]; local[73] = 0; const v8 = local[74]; local[74] = 0; const v9 = local[75]; local[75] = 0; const v10 = local[76]; local[76] = 0; const v11 = local[77]; local[77] = 0; const v12 = local[78]; local[78] = 0; const v13 = local[79]; local[79] = 0; const v14 = local[80]; local[80] = 0; const v15 = local[81]; local[81] = 0; const v16 = local[82]; local[82] = 0; const v17 = local[83]; local[83] = 0; const v18 = local[84]; local[84] = 0; const v19 = local[85]; local[85] = 0; const v20 = local[86]; local[86] = 0; const v21 = local[87]; local[87] = 0; const v22 = local[88]; local[88] = 0; const v23 = local[89]; local[89] = 0; const v24 = local[90]; local[90] = 0; const v25 = local[91]; local[91] = 0; const v26 = local[92]; local[92] = 0; count[o + 27] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 28] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 29] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 30] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 31] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 32] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 33] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 34] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 35] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[93]; local[93] = 0; const v1 = local[94]; local[94] = 0; const v2 = local[95]; local[95] = 0; const v3 = local[96]; local[96] = 0; const v4 = local[97]; local[97] = 0; const v5 = local[98]; local[98] = 0; const v6 = local[99]; local[99] = 0; const v7 = local[100]; local[100] = 0; const v8 = local[101]; local[101] = 0; const v9 = local[102]; local[102] = 0; const v10 = local[103]; local[103] = 0; const v11 = local[104]; local[104] = 0; const v12 = local[105]; local[105] = 0; const v13 = local[106]; local[106] = 0; const v14 = local[107]; local[107] = 0; const v15 = local[108]; local[108] = 0; const v16 = local[109]; local[109] = 0; const v17 = local[110]; local[110] = 0; const v18 = local[111]; local[111] = 0; const v19 = local[112]; local[112] = 0; const v20 = local[113]; local[113] = 0; const v21 = local[114]; local[114] = 0; const v22 = local[115]; local[115] = 0; const v23 = local[116]; local[116] = 0; const v24 = local[117]; local[117] = 0; const v25 = local[118]; local[118] = 0; const v26 = local[119]; local[119] = 0; count[o + 36] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 37] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 38] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 39] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 40] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 41] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 42] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 43] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 44] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[120]; local[120] = 0; const v1 = local[121]; local[121] = 0; const v2 = local[122]; local[122] = 0; const v3 = local[123]; local[123] = 0; const v4 = local[124]; local[124] = 0; const v5 = local[125]; local[125] = 0; const v6 = local[126]; local[126] = 0; const v7 = local[127]; local[127] = 0; const v8 = local[128]; local[128] = 0; const v9 = local[129]; local[129] = 0; const v10 = local[130]; local[130] = 0; const v11 = local[131]; local[131] = 0; const v12 = local[132]; local[132] = 0; const v13 = local[133]; local[133] = 0; const v14 = local[134]; local[134] = 0; const v15 = local[135]; local[135] = 0; const v16 = local[136]; local[136] = 0; const v17 = local[137]; local[137] = 0; const v18 = local[138]; local[138] = 0; const v19 = local[139]; local[139] = 0; const v20 = local[140]; local[140] = 0; const v21 = local[141]; local[141] = 0; const v22 = local[142]; local[142] = 0; const v23 = local[143]; local[143] = 0; const v24 = local[144]; local[144] = 0; const v25 = local[145]; local[145] = 0; const v26 = local[146]; local[146] = 0; count[o + 45] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 46] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 47] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 48] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 49] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 50] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 51] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 52] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 53] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[147]; local[147] = 0; const v1 = local[148]; local[148] = 0; const v2 = local[149]; local[149] = 0; const v3 = local[150]; local[150] = 0; const v4 = local[151]; local[151] = 0; const v5 = local[152]; local[152] = 0; const v6 = local[153]; local[153] = 0; const v7 = local[154]; local[154] = 0; const v8 = local[155]; local[155] = 0; const v9 = local[156]; local[156] = 0; const v10 = local[157]; local[157] = 0; const v11 = local[158]; local[158] = 0; const v12 = local[159]; local[159] = 0; const v13 = local[160]; local[160] = 0; const v14 = local[161]; local[161] = 0; const v15 = local[162]; local[162] = 0; const v16 = local[163]; local[163] = 0; const v17 = local[164]; local[164] = 0; const v18 = local[165]; local[165] = 0; const v19 = local[166]; local[166] = 0; const v20 = local[167]; local[167] = 0; const v21 = local[168]; local[168] = 0; const v22 = local[169]; local[169] = 0; const v23 = local[170]; local[170] = 0; const v24 = local[171]; local[171] = 0; const v25 = local[172]; local[172] = 0; const v26 = local[173]; local[173] = 0; count[o + 54] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 55] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 56] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 57] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 58] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 59] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 60] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 61] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 62] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[174]; local[174] = 0; const v1 = local[175]; local[175] = 0; const v2 = local[176]; local[176] = 0; count[o + 63] = v0; count[o + 64] = v1; count[o + 65] = v2 }
      { const v0 = local[177]; local[177] = 0; const v1 = local[178]; local[178] = 0; const v2 = local[179]; local[179] = 0; const v3 = local[180]; local[180] = 0; const v4 = local[181]; local[181] = 0; const v5 = local[182]; local[182] = 0; const v6 = local[183]; local[183] = 0; const v7 = local[184]; local[184] = 0; const v8 = local[185]; local[185] = 0; const v9 = local[186]; local[186] = 0; const v10 = local[187]; local[187] = 0; const v11 = local[188]; local[188] = 0; const v12 = local[189]; local[189] = 0; const v13 = local[190]; local[190] = 0; const v14 = local[191]; local[191] = 0; const v15 = local[192]; local[192] = 0; const v16 = local[193]; local[193] = 0; const v17 = local[194]; local[194] = 0; const v18 = local[195]; local[195] = 0; const v19 = local[196]; local[196] = 0; const v20 = local[197]; local[197] = 0; const v21 = local[198]; local[198] = 0; const v22 = local[199]; local[199] = 0; const v23 = local[200]; local[200] = 0; const v24 = local[201]; local[201] = 0; const v25 = local[202]; local[202] = 0; const v26 = local[203]; local[203] = 0; count[o + 66] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 67] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 68] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 69] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 70] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 71] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 72] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 73] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 74] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[204]; local[204] = 0; const v1 = local[205]; local[205] = 0; const v2 = local[206]; local[206] = 0; const v3 = local[207]; local[207] = 0; const v4 = local[208]; local[208] = 0; const v5 = local[209]; local[209] = 0; const v6 = local[210]; local[210] = 0; const v7 = local[211]; local[211] = 0; const v8 = local[212]; local[212] = 0; const v9 = local[213]; local[213] = 0; const v10 = local[214]; local[214] = 0; const v11 = local[215]; local[215] = 0; const v12 = local[216]; local[216] = 0; const v13 = local[217]; local[217] = 0; const v14 = local[218]; local[218] = 0; const v15 = local[219]; local[219] = 0; const v16 = local[220]; local[220] = 0; const v17 = local[221]; local[221] = 0; const v18 = local[222]; local[222] = 0; const v19 = local[223]; local[223] = 0; const v20 = local[224]; local[224] = 0; const v21 = local[225]; local[225] = 0; const v22 = local[226]; local[226] = 0; const v23 = local[227]; local[227] = 0; const v24 = local[228]; local[228] = 0; const v25 = local[229]; local[229] = 0; const v26 = local[230]; local[230] = 0; count[o + 75] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 76] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 77] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 78] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 79] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 80] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 81] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 82] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 83] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[231]; local[231] = 0; const v1 = local[232]; local[232] = 0; const v2 = local[233]; local[233] = 0; const v3 = local[234]; local[234] = 0; const v4 = local[235]; local[235] = 0; const v5 = local[236]; local[236] = 0; const v6 = local[237]; local[237] = 0; const v7 = local[238]; local[238] = 0; const v8 = local[239]; local[239] = 0; const v9 = local[240]; local[240] = 0; const v10 = local[241]; local[241] = 0; const v11 = local[242]; local[242] = 0; const v12 = local[243]; local[243] = 0; const v13 = local[244]; local[244] = 0; const v14 = local[245]; local[245] = 0; const v15 = local[246]; local[246] = 0; const v16 = local[247]; local[247] = 0; const v17 = local[248]; local[248] = 0; const v18 = local[249]; local[249] = 0; const v19 = local[250]; local[250] = 0; const v20 = local[251]; local[251] = 0; const v21 = local[252]; local[252] = 0; const v22 = local[253]; local[253] = 0; const v23 = local[254]; local[254] = 0; const v24 = local[255]; local[255] = 0; const v25 = local[256]; local[256] = 0; const v26 = local[257]; local[257] = 0; count[o + 84] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 85] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 86] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 87] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 88] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 89] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 90] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 91] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 92] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[258]; local[258] = 0; const v1 = local[259]; local[259] = 0; const v2 = local[260]; local[260] = 0; const v3 = local[261]; local[261] = 0; const v4 = local[262]; local[262] = 0; const v5 = local[263]; local[263] = 0; const v6 = local[264]; local[264] = 0; const v7 = local[265]; local[265] = 0; const v8 = local[266]; local[266] = 0; const v9 = local[267]; local[267] = 0; const v10 = local[268]; local[268] = 0; const v11 = local[269]; local[269] = 0; const v12 = local[270]; local[270] = 0; const v13 = local[271]; local[271] = 0; const v14 = local[272]; local[272] = 0; const v15 = local[273]; local[273] = 0; const v16 = local[274]; local[274] = 0; const v17 = local[275]; local[275] = 0; const v18 = local[276]; local[276] = 0; const v19 = local[277]; local[277] = 0; const v20 = local[278]; local[278] = 0; const v21 = local[279]; local[279] = 0; const v22 = local[280]; local[280] = 0; const v23 = local[281]; local[281] = 0; const v24 = local[282]; local[282] = 0; const v25 = local[283]; local[283] = 0; const v26 = local[284]; local[284] = 0; count[o + 93] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 94] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 95] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 96] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 97] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 98] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 99] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 100] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 101] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[285]; local[285] = 0; const v1 = local[286]; local[286] = 0; const v2 = local[287]; local[287] = 0; const v3 = local[288]; local[288] = 0; const v4 = local[289]; local[289] = 0; const v5 = local[290]; local[290] = 0; const v6 = local[291]; local[291] = 0; const v7 = local[292]; local[292] = 0; const v8 = local[293]; local[293] = 0; const v9 = local[294]; local[294] = 0; const v10 = local[295]; local[295] = 0; const v11 = local[296]; local[296] = 0; const v12 = local[297]; local[297] = 0; const v13 = local[298]; local[298] = 0; const v14 = local[299]; local[299] = 0; const v15 = local[300]; local[300] = 0; const v16 = local[301]; local[301] = 0; const v17 = local[302]; local[302] = 0; const v18 = local[303]; local[303] = 0; const v19 = local[304]; local[304] = 0; const v20 = local[305]; local[305] = 0; const v21 = local[306]; local[306] = 0; const v22 = local[307]; local[307] = 0; const v23 = local[308]; local[308] = 0; const v24 = local[309]; local[309] = 0; const v25 = local[310]; local[310] = 0; const v26 = local[311]; local[311] = 0; count[o + 102] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 103] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 104] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 105] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 106] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 107] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 108] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 109] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 110] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[312]; local[312] = 0; const v1 = local[313]; local[313] = 0; const v2 = local[314]; local[314] = 0; const v3 = local[315]; local[315] = 0; const v4 = local[316]; local[316] = 0; const v5 = local[317]; local[317] = 0; const v6 = local[318]; local[318] = 0; const v7 = local[319]; local[319] = 0; const v8 = local[320]; local[320] = 0; const v9 = local[321]; local[321] = 0; const v10 = local[322]; local[322] = 0; const v11 = local[323]; local[323] = 0; const v12 = local[324]; local[324] = 0; const v13 = local[325]; local[325] = 0; const v14 = local[326]; local[326] = 0; const v15 = local[327]; local[327] = 0; const v16 = local[328]; local[328] = 0; const v17 = local[329]; local[329] = 0; const v18 = local[330]; local[330] = 0; const v19 = local[331]; local[331] = 0; const v20 = local[332]; local[332] = 0; const v21 = local[333]; local[333] = 0; const v22 = local[334]; local[334] = 0; const v23 = local[335]; local[335] = 0; const v24 = local[336]; local[336] = 0; const v25 = local[337]; local[337] = 0; const v26 = local[338]; local[338] = 0; count[o + 111] = v0 + v3 + v6 + v9 + v12 + v15 + v18 + v21 + v24; count[o + 112] = v1 + v4 + v7 + v10 + v13 + v16 + v19 + v22 + v25; count[o + 113] = v2 + v5 + v8 + v11 + v14 + v17 + v20 + v23 + v26; count[o + 114] = v0 + v1 + v2 + v9 + v10 + v11 + v18 + v19 + v20; count[o + 115] = v3 + v4 + v5 + v12 + v13 + v14 + v21 + v22 + v23; count[o + 116] = v6 + v7 + v8 + v15 + v16 + v17 + v24 + v25 + v26; count[o + 117] = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8; count[o + 118] = v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17; count[o + 119] = v18 + v19 + v20 + v21 + v22 + v23 + v24 + v25 + v26 }
      { const v0 = local[339]; local[339] = 0; const v1 = local[340]; local[340] = 0; const v2 = local[341]; local[341] = 0; count[o + 120] = v0; count[o + 121] = v1; count[o + 122] = v2 }
    }
}

// pass one: each cell's count, Σw and Σw² of every class of every tallied column, rows of mixed weights (tally.ts)
function (count, sumW, sumW2, codes, start, cells, weight) {
'use strict'

    for (let cell = 0; cell < cells; cell++) {
      const o = cell * 123
      for (let row = start[cell], p = row * 16; row < start[cell + 1]; row++, p += 16) {
        const w = weight[row]
        const w2 = w * w
        { const k = codes[p + 0]; count[o + 0 + ((k / 1) | 0) % 3] += 1; count[o + 3 + ((k / 3) | 0) % 3] += 1; count[o + 6 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 1]; count[o + 9 + ((k / 1) | 0) % 3] += 1 }
{ const k = codes[p + 2]; count[o + 12 + ((k / 1) | 0) % 3] += 1; count[o + 15 + ((k / 3) | 0) % 3] += 1; count[o + 18 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 3]; count[o + 21 + ((k / 1) | 0) % 3] += 1; count[o + 24 + ((k / 3) | 0) % 3] += 1 }
{ const k = codes[p + 4]; count[o + 27 + ((k / 1) | 0) % 3] += 1; count[o + 30 + ((k / 3) | 0) % 3] += 1; count[o + 33 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 5]; count[o + 36 + ((k / 1) | 0) % 3] += 1; count[o + 39 + ((k / 3) | 0) % 3] += 1; count[o + 42 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 6]; count[o + 45 + ((k / 1) | 0) % 3] += 1; count[o + 48 + ((k / 3) | 0) % 3] += 1; count[o + 51 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 7]; count[o + 54 + ((k / 1) | 0) % 3] += 1; count[o + 57 + ((k / 3) | 0) % 3] += 1; count[o + 60 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 8]; count[o + 63 + ((k / 1) | 0) % 3] += 1 }
{ const k = codes[p + 9]; count[o + 66 + ((k / 1) | 0) % 3] += 1; count[o + 69 + ((k / 3) | 0) % 3] += 1; count[o + 72 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 10]; count[o + 75 + ((k / 1) | 0) % 3] += 1; count[o + 78 + ((k / 3) | 0) % 3] += 1; count[o + 81 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 11]; count[o + 84 + ((k / 1) | 0) % 3] += 1; count[o + 87 + ((k / 3) | 0) % 3] += 1; count[o + 90 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 12]; count[o + 93 + ((k / 1) | 0) % 3] += 1; count[o + 96 + ((k / 3) | 0) % 3] += 1; count[o + 99 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 13]; count[o + 102 + ((k / 1) | 0) % 3] += 1; count[o + 105 + ((k / 3) | 0) % 3] += 1; count[o + 108 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 14]; count[o + 111 + ((k / 1) | 0) % 3] += 1; count[o + 114 + ((k / 3) | 0) % 3] += 1; count[o + 117 + ((k / 9) | 0) % 3] += 1 }
{ const k = codes[p + 15]; count[o + 120 + ((k / 1) | 0) % 3] += 1 }
        { const k = codes[p + 0]; sumW[o + 0 + ((k / 1) | 0) % 3] += w; sumW[o + 3 + ((k / 3) | 0) % 3] += w; sumW[o + 6 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 1]; sumW[o + 9 + ((k / 1) | 0) % 3] += w }
{ const k = codes[p + 2]; sumW[o + 12 + ((k / 1) | 0) % 3] += w; sumW[o + 15 + ((k / 3) | 0) % 3] += w; sumW[o + 18 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 3]; sumW[o + 21 + ((k / 1) | 0) % 3] += w; sumW[o + 24 + ((k / 3) | 0) % 3] += w }
{ const k = codes[p + 4]; sumW[o + 27 + ((k / 1) | 0) % 3] += w; sumW[o + 30 + ((k / 3) | 0) % 3] += w; sumW[o + 33 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 5]; sumW[o + 36 + ((k / 1) | 0) % 3] += w; sumW[o + 39 + ((k / 3) | 0) % 3] += w; sumW[o + 42 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 6]; sumW[o + 45 + ((k / 1) | 0) % 3] += w; sumW[o + 48 + ((k / 3) | 0) % 3] += w; sumW[o + 51 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 7]; sumW[o + 54 + ((k / 1) | 0) % 3] += w; sumW[o + 57 + ((k / 3) | 0) % 3] += w; sumW[o + 60 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 8]; sumW[o + 63 + ((k / 1) | 0) % 3] += w }
{ const k = codes[p + 9]; sumW[o + 66 + ((k / 1) | 0) % 3] += w; sumW[o + 69 + ((k / 3) | 0) % 3] += w; sumW[o + 72 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 10]; sumW[o + 75 + ((k / 1) | 0) % 3] += w; sumW[o + 78 + ((k / 3) | 0) % 3] += w; sumW[o + 81 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 11]; sumW[o + 84 + ((k / 1) | 0) % 3] += w; sumW[o + 87 + ((k / 3) | 0) % 3] += w; sumW[o + 90 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 12]; sumW[o + 93 + ((k / 1) | 0) % 3] += w; sumW[o + 96 + ((k / 3) | 0) % 3] += w; sumW[o + 99 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 13]; sumW[o + 102 + ((k / 1) | 0) % 3] += w; sumW[o + 105 + ((k / 3) | 0) % 3] += w; sumW[o + 108 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 14]; sumW[o + 111 + ((k / 1) | 0) % 3] += w; sumW[o + 114 + ((k / 3) | 0) % 3] += w; sumW[o + 117 + ((k / 9) | 0) % 3] += w }
{ const k = codes[p + 15]; sumW[o + 120 + ((k / 1) | 0) % 3] += w }
        { const k = codes[p + 0]; sumW2[o + 0 + ((k / 1) | 0) % 3] += w2; sumW2[o + 3 + ((k / 3) | 0) % 3] += w2; sumW2[o + 6 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 1]; sumW2[o + 9 + ((k / 1) | 0) % 3] += w2 }
{ const k = codes[p + 2]; sumW2[o + 12 + ((k / 1) | 0) % 3] += w2; sumW2[o + 15 + ((k / 3) | 0) % 3] += w2; sumW2[o + 18 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 3]; sumW2[o + 21 + ((k / 1) | 0) % 3] += w2; sumW2[o + 24 + ((k / 3) | 0) % 3] += w2 }
{ const k = codes[p + 4]; sumW2[o + 27 + ((k / 1) | 0) % 3] += w2; sumW2[o + 30 + ((k / 3) | 0) % 3] += w2; sumW2[o + 33 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 5]; sumW2[o + 36 + ((k / 1) | 0) % 3] += w2; sumW2[o + 39 + ((k / 3) | 0) % 3] += w2; sumW2[o + 42 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 6]; sumW2[o + 45 + ((k / 1) | 0) % 3] += w2; sumW2[o + 48 + ((k / 3) | 0) % 3] += w2; sumW2[o + 51 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 7]; sumW2[o + 54 + ((k / 1) | 0) % 3] += w2; sumW2[o + 57 + ((k / 3) | 0) % 3] += w2; sumW2[o + 60 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 8]; sumW2[o + 63 + ((k / 1) | 0) % 3] += w2 }
{ const k = codes[p + 9]; sumW2[o + 66 + ((k / 1) | 0) % 3] += w2; sumW2[o + 69 + ((k / 3) | 0) % 3] += w2; sumW2[o + 72 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 10]; sumW2[o + 75 + ((k / 1) | 0) % 3] += w2; sumW2[o + 78 + ((k / 3) | 0) % 3] += w2; sumW2[o + 81 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 11]; sumW2[o + 84 + ((k / 1) | 0) % 3] += w2; sumW2[o + 87 + ((k / 3) | 0) % 3] += w2; sumW2[o + 90 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 12]; sumW2[o + 93 + ((k / 1) | 0) % 3] += w2; sumW2[o + 96 + ((k / 3) | 0) % 3] += w2; sumW2[o + 99 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 13]; sumW2[o + 102 + ((k / 1) | 0) % 3] += w2; sumW2[o + 105 + ((k / 3) | 0) % 3] += w2; sumW2[o + 108 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 14]; sumW2[o + 111 + ((k / 1) | 0) % 3] += w2; sumW2[o + 114 + ((k / 3) | 0) % 3] += w2; sumW2[o + 117 + ((k / 9) | 0) % 3] += w2 }
{ const k = codes[p + 15]; sumW2[o + 120 + ((k / 1) | 0) % 3] += w2 }
      }
    }
}

// calibration: the pairs' tallies added up into their units' cells and per pair, cells sharing a weight (pair-rollup.ts)
function (cells, cellOf, cellPair, cellWeight, cellG, factor, pairCount, pairSumW, pairSumW2, count, sumW, sumW2, pairW, pairSquares) {
'use strict'

    for (let c = 0; c < cells; c++) {
      const u = cellOf[c] * 123, k = cellPair[c] * 123, f = c * 123
      const w = cellWeight[c], gw = cellG[c] * w, gw2 = gw * gw, chw2 = factor[c] * w * w
      {
        const n = pairCount[f + 1]
        count[u + 1] += n; sumW[u + 1] += n * gw; sumW2[u + 1] += n * gw2
        pairW[k + 1] += n * w; pairSquares[k + 1] += n * chw2
      }
      {
        const n = pairCount[f + 2]
        count[u + 2] += n; sumW[u + 2] += n * gw; sumW2[u + 2] += n * gw2
        pairW[k + 2] += n * w; pairSquares[k + 2] += n * chw2
      }
      {
        const n = pairCount[f + 4]
        count[u + 4] += n; sumW[u + 4] += n * gw; sumW2[u + 4] += n * gw2
        pairW[k + 4] += n * w; pairSquares[k + 4] += n * chw2
      }
      {
        const n = pairCount[f + 5]
        count[u + 5] += n; sumW[u + 5] += n * gw; sumW2[u + 5] += n * gw2
        pairW[k + 5] += n * w; pairSquares[k + 5] += n * chw2
      }
      {
        const n = pairCount[f + 7]
        count[u + 7] += n; sumW[u + 7] += n * gw; sumW2[u + 7] += n * gw2
        pairW[k + 7] += n * w; pairSquares[k + 7] += n * chw2
      }
      {
        const n = pairCount[f + 8]
        count[u + 8] += n; sumW[u + 8] += n * gw; sumW2[u + 8] += n * gw2
        pairW[k + 8] += n * w; pairSquares[k + 8] += n * chw2
      }
      {
        const n = pairCount[f + 10]
        count[u + 10] += n; sumW[u + 10] += n * gw; sumW2[u + 10] += n * gw2
        pairW[k + 10] += n * w; pairSquares[k + 10] += n * chw2
      }
      {
        const n = pairCount[f + 11]
        count[u + 11] += n; sumW[u + 11] += n * gw; sumW2[u + 11] += n * gw2
        pairW[k + 11] += n * w; pairSquares[k + 11] += n * chw2
      }
      {
        const n = pairCount[f + 13]
        count[u + 13] += n; sumW[u + 13] += n * gw; sumW2[u + 13] += n * gw2
        pairW[k + 13] += n * w; pairSquares[k + 13] += n * chw2
      }
      {
        const n = pairCount[f + 14]
        count[u + 14] += n; sumW[u + 14] += n * gw; sumW2[u + 14] += n * gw2
        pairW[k + 14] += n * w; pairSquares[k + 14] += n * chw2
      }
      {
        const n = pairCount[f + 16]
        count[u + 16] += n; sumW[u + 16] += n * gw; sumW2[u + 16] += n * gw2
        pairW[k + 16] += n * w; pairSquares[k + 16] += n * chw2
      }
      {
        const n = pairCount[f + 17]
        count[u + 17] += n; sumW[u + 17] += n * gw; sumW2[u + 17] += n * gw2
        pairW[k + 17] += n * w; pairSquares[k + 17] += n * chw2
      }
      {
        const n = pairCount[f + 19]
        count[u + 19] += n; sumW[u + 19] += n * gw; sumW2[u + 19] += n * gw2
        pairW[k + 19] += n * w; pairSquares[k + 19] += n * chw2
      }
      {
        const n = pairCount[f + 20]
        count[u + 20] += n; sumW[u + 20] += n * gw; sumW2[u + 20] += n * gw2
        pairW[k + 20] += n * w; pairSquares[k + 20] += n * chw2
      }
      {
        const n = pairCount[f + 22]
        count[u + 22] += n; sumW[u + 22] += n * gw; sumW2[u + 22] += n * gw2
        pairW[k + 22] += n * w; pairSquares[k + 22] += n * chw2
      }
      {
        const n = pairCount[f + 23]
        count[u + 23] += n; sumW[u + 23] += n * gw; sumW2[u + 23] += n * gw2
        pairW[k + 23] += n * w; pairSquares[k + 23] += n * chw2
      }
      {
        const n = pairCount[f + 25]
        count[u + 25] += n; sumW[u + 25] += n * gw; sumW2[u + 25] += n * gw2
        pairW[k + 25] += n * w; pairSquares[k + 25] += n * chw2
      }
      {
        const n = pairCount[f + 26]
        count[u + 26] += n; sumW[u + 26] += n * gw; sumW2[u + 26] += n * gw2
        pairW[k + 26] += n * w; pairSquares[k + 26] += n * chw2
      }
      {
        const n = pairCount[f + 28]
        count[u + 28] += n; sumW[u + 28] += n * gw; sumW2[u + 28] += n * gw2
        pairW[k + 28] += n * w; pairSquares[k + 28] += n * chw2
      }
      {
        const n = pairCount[f + 29]
        count[u + 29] += n; sumW[u + 29] += n * gw; sumW2[u + 29] += n * gw2
        pairW[k + 29] += n * w; pairSquares[k + 29] += n * chw2
      }
      {
        const n = pairCount[f + 31]
        count[u + 31] += n; sumW[u + 31] += n * gw; sumW2[u + 31] += n * gw2
        pairW[k + 31] += n * w; pairSquares[k + 31] += n * chw2
      }
      {
        const n = pairCount[f + 32]
        count[u + 32] += n; sumW[u + 32] += n * gw; sumW2[u + 32] += n * gw2
        pairW[k + 32] += n * w; pairSquares[k + 32] += n * chw2
      }
      {
        const n = pairCount[f + 34]
        count[u + 34] += n; sumW[u + 34] += n * gw; sumW2[u + 34] += n * gw2
        pairW[k + 34] += n * w; pairSquares[k + 34] += n * chw2
      }
      {
        const n = pairCount[f + 35]
        count[u + 35] += n; sumW[u + 35] += n * gw; sumW2[u + 35] += n * gw2
        pairW[k + 35] += n * w; pairSquares[k + 35] += n * chw2
      }
      {
        const n = pairCount[f + 37]
        count[u + 37] += n; sumW[u + 37] += n * gw; sumW2[u + 37] += n * gw2
        pairW[k + 37] += n * w; pairSquares[k + 37] += n * chw2
      }
      {
        const n = pairCount[f + 38]
        count[u + 38] += n; sumW[u + 38] += n * gw; sumW2[u + 38] += n * gw2
        pairW[k + 38] += n * w; pairSquares[k + 38] += n * chw2
      }
      {
        const n = pairCount[f + 40]
        count[u + 40] += n; sumW[u + 40] += n * gw; sumW2[u + 40] += n * gw2
        pairW[k + 40] += n * w; pairSquares[k + 40] += n * chw2
      }
      {
        const n = pairCount[f + 41]
        count[u + 41] += n; sumW[u + 41] += n * gw; sumW2[u + 41] += n * gw2
        pairW[k + 41] += n * w; pairSquares[k + 41] += n * chw2
      }
      {
        const n = pairCount[f + 43]
        count[u + 43] += n; sumW[u + 43] += n * gw; sumW2[u + 43] += n * gw2
        pairW[k + 43] += n * w; pairSquares[k + 43] += n * chw2
      }
      {
        const n = pairCount[f + 44]
        count[u + 44] += n; sumW[u + 44] += n * gw; sumW2[u + 44] += n * gw2
        pairW[k + 44] += n * w; pairSquares[k + 44] += n * chw2
      }
      {
        const n = pairCount[f + 46]
        count[u + 46] += n; sumW[u + 46] += n * gw; sumW2[u + 46] += n * gw2
        pairW[k + 46] += n * w; pairSquares[k + 46] += n * chw2
      }
      {
        const n = pairCount[f + 47]
        count[u + 47] += n; sumW[u + 47] += n * gw; sumW2[u + 47] += n * gw2
        pairW[k + 47] += n * w; pairSquares[k + 47] += n * chw2
      }
      {
        const n = pairCount[f + 49]
        count[u + 49] += n; sumW[u + 49] += n * gw; sumW2[u + 49] += n * gw2
        pairW[k + 49] += n * w; pairSquares[k + 49] += n * chw2
      }
      {
        const n = pairCount[f + 50]
        count[u + 50] += n; sumW[u + 50] += n * gw; sumW2[u + 50] += n * gw2
        pairW[k + 50] += n * w; pairSquares[k + 50] += n * chw2
      }
      {
        const n = pairCount[f + 52]
        count[u + 52] += n; sumW[u + 52] += n * gw; sumW2[u + 52] += n * gw2
        pairW[k + 52] += n * w; pairSquares[k + 52] += n * chw2
      }
      {
        const n = pairCount[f + 53]
        count[u + 53] += n; sumW[u + 53] += n * gw; sumW2[u + 53] += n * gw2
        pairW[k + 53] += n * w; pairSquares[k + 53] += n * chw2
      }
      {
        const n = pairCount[f + 55]
        count[u + 55] += n; sumW[u + 55] += n * gw; sumW2[u + 55] += n * gw2
        pairW[k + 55] += n * w; pairSquares[k + 55] += n * chw2
      }
      {
        const n = pairCount[f + 56]
        count[u + 56] += n; sumW[u + 56] += n * gw; sumW2[u + 56] += n * gw2
        pairW[k + 56] += n * w; pairSquares[k + 56] += n * chw2
      }
      {
        const n = pairCount[f + 58]
        count[u + 58] += n; sumW[u + 58] += n * gw; sumW2[u + 58] += n * gw2
        pairW[k + 58] += n * w; pairSquares[k + 58] += n * chw2
      }
      {
        const n = pairCount[f + 59]
        count[u + 59] += n; sumW[u + 59] += n * gw; sumW2[u + 59] += n * gw2
        pairW[k + 59] += n * w; pairSquares[k + 59] += n * chw2
      }
      {
        const n = pairCount[f + 61]
        count[u + 61] += n; sumW[u + 61] += n * gw; sumW2[u + 61] += n * gw2
        pairW[k + 61] += n * w; pairSquares[k + 61] += n * chw2
      }
      {
        const n = pairCount[f + 62]
        count[u + 62] += n; sumW[u + 62] += n * gw; sumW2[u + 62] += n * gw2
        pairW[k + 62] += n * w; pairSquares[k + 62] += n * chw2
      }
      {
        const n = pairCount[f + 64]
        count[u + 64] += n; sumW[u + 64] += n * gw; sumW2[u + 64] += n * gw2
        pairW[k + 64] += n * w; pairSquares[k + 64] += n * chw2
      }
      {
        const n = pairCount[f + 65]
        count[u + 65] += n; sumW[u + 65] += n * gw; sumW2[u + 65] += n * gw2
        pairW[k + 65] += n * w; pairSquares[k + 65] += n * chw2
      }
      {
        const n = pairCount[f + 67]
        count[u + 67] += n; sumW[u + 67] += n * gw; sumW2[u + 67] += n * gw2
        pairW[k + 67] += n * w; pairSquares[k + 67] += n * chw2
      }
      {
        const n = pairCount[f + 68]
        count[u + 68] += n; sumW[u + 68] += n * gw; sumW2[u + 68] += n * gw2
        pairW[k + 68] += n * w; pairSquares[k + 68] += n * chw2
      }
      {
        const n = pairCount[f + 70]
        count[u + 70] += n; sumW[u + 70] += n * gw; sumW2[u + 70] += n * gw2
        pairW[k + 70] += n * w; pairSquares[k + 70] += n * chw2
      }
      {
        const n = pairCount[f + 71]
        count[u + 71] += n; sumW[u + 71] += n * gw; sumW2[u + 71] += n * gw2
        pairW[k + 71] += n * w; pairSquares[k + 71] += n * chw2
      }
      {
        const n = pairCount[f + 73]
        count[u + 73] += n; sumW[u + 73] += n * gw; sumW2[u + 73] += n * gw2
        pairW[k + 73] += n * w; pairSquares[k + 73] += n * chw2
      }
      {
        const n = pairCount[f + 74]
        count[u + 74] += n; sumW[u + 74] += n * gw; sumW2[u + 74] += n * gw2
        pairW[k + 74] += n * w; pairSquares[k + 74] += n * chw2
      }
      {
        const n = pairCount[f + 76]
        count[u + 76] += n; sumW[u + 76] += n * gw; sumW2[u + 76] += n * gw2
        pairW[k + 76] += n * w; pairSquares[k + 76] += n * chw2
      }
      {
        const n = pairCount[f + 77]
        count[u + 77] += n; sumW[u + 77] += n * gw; sumW2[u + 77] += n * gw2
        pairW[k + 77] += n * w; pairSquares[k + 77] += n * chw2
      }
      {
        const n = pairCount[f + 79]
        count[u + 79] += n; sumW[u + 79] += n * gw; sumW2[u + 79] += n * gw2
        pairW[k + 79] += n * w; pairSquares[k + 79] += n * chw2
      }
      {
        const n = pairCount[f + 80]
        count[u + 80] += n; sumW[u + 80] += n * gw; sumW2[u + 80] += n * gw2
        pairW[k + 80] += n * w; pairSquares[k + 80] += n * chw2
      }
      {
        const n = pairCount[f + 82]
        count[u + 82] += n; sumW[u + 82] += n * gw; sumW2[u + 82] += n * gw2
        pairW[k + 82] += n * w; pairSquares[k + 82] += n * chw2
      }
      {
        const n = pairCount[f + 83]
        count[u + 83] += n; sumW[u + 83] += n * gw; sumW2[u + 83] += n * gw2
        pairW[k + 83] += n * w; pairSquares[k + 83] += n * chw2
      }
      {
        const n = pairCount[f + 85]
        count[u + 85] += n; sumW[u + 85] += n * gw; sumW2[u + 85] += n * gw2
        pairW[k + 85] += n * w; pairSquares[k + 85] += n * chw2
      }
      {
        const n = pairCount[f + 86]
        count[u + 86] += n; sumW[u + 86] += n * gw; sumW2[u + 86] += n * gw2
        pairW[k + 86] += n * w; pairSquares[k + 86] += n * chw2
      }
      {
        const n = pairCount[f + 88]
        count[u + 88] += n; sumW[u + 88] += n * gw; sumW2[u + 88] += n * gw2
        pairW[k + 88] += n * w; pairSquares[k + 88] += n * chw2
      }
      {
        const n = pairCount[f + 89]
        count[u + 89] += n; sumW[u + 89] += n * gw; sumW2[u + 89] += n * gw2
        pairW[k + 89] += n * w; pairSquares[k + 89] += n * chw2
      }
      {
        const n = pairCount[f + 91]
        count[u + 91] += n; sumW[u + 91] += n * gw; sumW2[u + 91] += n * gw2
        pairW[k + 91] += n * w; pairSquares[k + 91] += n * chw2
      }
      {
        const n = pairCount[f + 92]
        count[u + 92] += n; sumW[u + 92] += n * gw; sumW2[u + 92] += n * gw2
        pairW[k + 92] += n * w; pairSquares[k + 92] += n * chw2
      }
      {
        const n = pairCount[f + 94]
        count[u + 94] += n; sumW[u + 94] += n * gw; sumW2[u + 94] += n * gw2
        pairW[k + 94] += n * w; pairSquares[k + 94] += n * chw2
      }
      {
        const n = pairCount[f + 95]
        count[u + 95] += n; sumW[u + 95] += n * gw; sumW2[u + 95] += n * gw2
        pairW[k + 95] += n * w; pairSquares[k + 95] += n * chw2
      }
      {
        const n = pairCount[f + 97]
        count[u + 97] += n; sumW[u + 97] += n * gw; sumW2[u + 97] += n * gw2
        pairW[k + 97] += n * w; pairSquares[k + 97] += n * chw2
      }
      {
        const n = pairCount[f + 98]
        count[u + 98] += n; sumW[u + 98] += n * gw; sumW2[u + 98] += n * gw2
        pairW[k + 98] += n * w; pairSquares[k + 98] += n * chw2
      }
      {
        const n = pairCount[f + 99]
        count[u + 99] += n; sumW[u + 99] += n * gw; sumW2[u + 99] += n * gw2
        pairW[k + 99] += n * w; pairSquares[k + 99] += n * chw2
      }
      {
        const n = pairCount[f + 100]
        count[u + 100] += n; sumW[u + 100] += n * gw; sumW2[u + 100] += n * gw2
        pairW[k + 100] += n * w; pairSquares[k + 100] += n * chw2
      }
      {
        const n = pairCount[f + 102]
        count[u + 102] += n; sumW[u + 102] += n * gw; sumW2[u + 102] += n * gw2
        pairW[k + 102] += n * w; pairSquares[k + 102] += n * chw2
      }
      {
        const n = pairCount[f + 103]
        count[u + 103] += n; sumW[u + 103] += n * gw; sumW2[u + 103] += n * gw2
        pairW[k + 103] += n * w; pairSquares[k + 103] += n * chw2
      }
      {
        const n = pairCount[f + 105]
        count[u + 105] += n; sumW[u + 105] += n * gw; sumW2[u + 105] += n * gw2
        pairW[k + 105] += n * w; pairSquares[k + 105] += n * chw2
      }
      {
        const n = pairCount[f + 106]
        count[u + 106] += n; sumW[u + 106] += n * gw; sumW2[u + 106] += n * gw2
        pairW[k + 106] += n * w; pairSquares[k + 106] += n * chw2
      }
      {
        const n = pairCount[f + 108]
        count[u + 108] += n; sumW[u + 108] += n * gw; sumW2[u + 108] += n * gw2
        pairW[k + 108] += n * w; pairSquares[k + 108] += n * chw2
      }
      {
        const n = pairCount[f + 109]
        count[u + 109] += n; sumW[u + 109] += n * gw; sumW2[u + 109] += n * gw2
        pairW[k + 109] += n * w; pairSquares[k + 109] += n * chw2
      }
      {
        const n = pairCount[f + 111]
        count[u + 111] += n; sumW[u + 111] += n * gw; sumW2[u + 111] += n * gw2
        pairW[k + 111] += n * w; pairSquares[k + 111] += n * chw2
      }
      {
        const n = pairCount[f + 112]
        count[u + 112] += n; sumW[u + 112] += n * gw; sumW2[u + 112] += n * gw2
        pairW[k + 112] += n * w; pairSquares[k + 112] += n * chw2
      }
      {
        const n = pairCount[f + 114]
        count[u + 114] += n; sumW[u + 114] += n * gw; sumW2[u + 114] += n * gw2
        pairW[k + 114] += n * w; pairSquares[k + 114] += n * chw2
      }
      {
        const n = pairCount[f + 115]
        count[u + 115] += n; sumW[u + 115] += n * gw; sumW2[u + 115] += n * gw2
        pairW[k + 115] += n * w; pairSquares[k + 115] += n * chw2
      }
      {
        const n = pairCount[f + 117]
        count[u + 117] += n; sumW[u + 117] += n * gw; sumW2[u + 117] += n * gw2
        pairW[k + 117] += n * w; pairSquares[k + 117] += n * chw2
      }
      {
        const n = pairCount[f + 118]
        count[u + 118] += n; sumW[u + 118] += n * gw; sumW2[u + 118] += n * gw2
        pairW[k + 118] += n * w; pairSquares[k + 118] += n * chw2
      }
      {
        const n = pairCount[f + 120]
        count[u + 120] += n; sumW[u + 120] += n * gw; sumW2[u + 120] += n * gw2
        pairW[k + 120] += n * w; pairSquares[k + 120] += n * chw2
      }
      {
        const n = pairCount[f + 121]
        count[u + 121] += n; sumW[u + 121] += n * gw; sumW2[u + 121] += n * gw2
        pairW[k + 121] += n * w; pairSquares[k + 121] += n * chw2
      }
    }
}

// calibration: the pairs' tallies added up into their units' cells and per pair, rows of mixed weights (pair-rollup.ts)
function (cells, cellOf, cellPair, cellWeight, cellG, factor, pairCount, pairSumW, pairSumW2, count, sumW, sumW2, pairW, pairSquares) {
'use strict'

    for (let c = 0; c < cells; c++) {
      const u = cellOf[c] * 123, k = cellPair[c] * 123, f = c * 123
      const g = cellG[c], g2 = g * g, ch = factor[c]
      {
        const s = pairSumW[f + 1], s2 = pairSumW2[f + 1]
        count[u + 1] += pairCount[f + 1]; sumW[u + 1] += g * s; sumW2[u + 1] += g2 * s2
        pairW[k + 1] += s; pairSquares[k + 1] += ch * s2
      }
      {
        const s = pairSumW[f + 2], s2 = pairSumW2[f + 2]
        count[u + 2] += pairCount[f + 2]; sumW[u + 2] += g * s; sumW2[u + 2] += g2 * s2
        pairW[k + 2] += s; pairSquares[k + 2] += ch * s2
      }
      {
        const s = pairSumW[f + 4], s2 = pairSumW2[f + 4]
        count[u + 4] += pairCount[f + 4]; sumW[u + 4] += g * s; sumW2[u + 4] += g2 * s2
        pairW[k + 4] += s; pairSquares[k + 4] += ch * s2
      }
      {
        const s = pairSumW[f + 5], s2 = pairSumW2[f + 5]
        count[u + 5] += pairCount[f + 5]; sumW[u + 5] += g * s; sumW2[u + 5] += g2 * s2
        pairW[k + 5] += s; pairSquares[k + 5] += ch * s2
      }
      {
        const s = pairSumW[f + 7], s2 = pairSumW2[f + 7]
        count[u + 7] += pairCount[f + 7]; sumW[u + 7] += g * s; sumW2[u + 7] += g2 * s2
        pairW[k + 7] += s; pairSquares[k + 7] += ch * s2
      }
      {
        const s = pairSumW[f + 8], s2 = pairSumW2[f + 8]
        count[u + 8] += pairCount[f + 8]; sumW[u + 8] += g * s; sumW2[u + 8] += g2 * s2
        pairW[k + 8] += s; pairSquares[k + 8] += ch * s2
      }
      {
        const s = pairSumW[f + 10], s2 = pairSumW2[f + 10]
        count[u + 10] += pairCount[f + 10]; sumW[u + 10] += g * s; sumW2[u + 10] += g2 * s2
        pairW[k + 10] += s; pairSquares[k + 10] += ch * s2
      }
      {
        const s = pairSumW[f + 11], s2 = pairSumW2[f + 11]
        count[u + 11] += pairCount[f + 11]; sumW[u + 11] += g * s; sumW2[u + 11] += g2 * s2
        pairW[k + 11] += s; pairSquares[k + 11] += ch * s2
      }
      {
        const s = pairSumW[f + 13], s2 = pairSumW2[f + 13]
        count[u + 13] += pairCount[f + 13]; sumW[u + 13] += g * s; sumW2[u + 13] += g2 * s2
        pairW[k + 13] += s; pairSquares[k + 13] += ch * s2
      }
      {
        const s = pairSumW[f + 14], s2 = pairSumW2[f + 14]
        count[u + 14] += pairCount[f + 14]; sumW[u + 14] += g * s; sumW2[u + 14] += g2 * s2
        pairW[k + 14] += s; pairSquares[k + 14] += ch * s2
      }
      {
        const s = pairSumW[f + 16], s2 = pairSumW2[f + 16]
        count[u + 16] += pairCount[f + 16]; sumW[u + 16] += g * s; sumW2[u + 16] += g2 * s2
        pairW[k + 16] += s; pairSquares[k + 16] += ch * s2
      }
      {
        const s = pairSumW[f + 17], s2 = pairSumW2[f + 17]
        count[u + 17] += pairCount[f + 17]; sumW[u + 17] += g * s; sumW2[u + 17] += g2 * s2
        pairW[k + 17] += s; pairSquares[k + 17] += ch * s2
      }
      {
        const s = pairSumW[f + 19], s2 = pairSumW2[f + 19]
        count[u + 19] += pairCount[f + 19]; sumW[u + 19] += g * s; sumW2[u + 19] += g2 * s2
        pairW[k + 19] += s; pairSquares[k + 19] += ch * s2
      }
      {
        const s = pairSumW[f + 20], s2 = pairSumW2[f + 20]
        count[u + 20] += pairCount[f + 20]; sumW[u + 20] += g * s; sumW2[u + 20] += g2 * s2
        pairW[k + 20] += s; pairSquares[k + 20] += ch * s2
      }
      {
        const s = pairSumW[f + 22], s2 = pairSumW2[f + 22]
        count[u + 22] += pairCount[f + 22]; sumW[u + 22] += g * s; sumW2[u + 22] += g2 * s2
        pairW[k + 22] += s; pairSquares[k + 22] += ch * s2
      }
      {
        const s = pairSumW[f + 23], s2 = pairSumW2[f + 23]
        count[u + 23] += pairCount[f + 23]; sumW[u + 23] += g * s; sumW2[u + 23] += g2 * s2
        pairW[k + 23] += s; pairSquares[k + 23] += ch * s2
      }
      {
        const s = pairSumW[f + 25], s2 = pairSumW2[f + 25]
        count[u + 25] += pairCount[f + 25]; sumW[u + 25] += g * s; sumW2[u + 25] += g2 * s2
        pairW[k + 25] += s; pairSquares[k + 25] += ch * s2
      }
      {
        const s = pairSumW[f + 26], s2 = pairSumW2[f + 26]
        count[u + 26] += pairCount[f + 26]; sumW[u + 26] += g * s; sumW2[u + 26] += g2 * s2
        pairW[k + 26] += s; pairSquares[k + 26] += ch * s2
      }
      {
        const s = pairSumW[f + 28], s2 = pairSumW2[f + 28]
        count[u + 28] += pairCount[f + 28]; sumW[u + 28] += g * s; sumW2[u + 28] += g2 * s2
        pairW[k + 28] += s; pairSquares[k + 28] += ch * s2
      }
      {
        const s = pairSumW[f + 29], s2 = pairSumW2[f + 29]
        count[u + 29] += pairCount[f + 29]; sumW[u + 29] += g * s; sumW2[u + 29] += g2 * s2
        pairW[k + 29] += s; pairSquares[k + 29] += ch * s2
      }
      {
        const s = pairSumW[f + 31], s2 = pairSumW2[f + 31]
        count[u + 31] += pairCount[f + 31]; sumW[u + 31] += g * s; sumW2[u + 31] += g2 * s2
        pairW[k + 31] += s; pairSquares[k + 31] += ch * s2
      }
      {
        const s = pairSumW[f + 32], s2 = pairSumW2[f + 32]
        count[u + 32] += pairCount[f + 32]; sumW[u + 32] += g * s; sumW2[u + 32] += g2 * s2
        pairW[k + 32] += s; pairSquares[k + 32] += ch * s2
      }
      {
        const s = pairSumW[f + 34], s2 = pairSumW2[f + 34]
        count[u + 34] += pairCount[f + 34]; sumW[u + 34] += g * s; sumW2[u + 34] += g2 * s2
        pairW[k + 34] += s; pairSquares[k + 34] += ch * s2
      }
      {
        const s = pairSumW[f + 35], s2 = pairSumW2[f + 35]
        count[u + 35] += pairCount[f + 35]; sumW[u + 35] += g * s; sumW2[u + 35] += g2 * s2
        pairW[k + 35] += s; pairSquares[k + 35] += ch * s2
      }
      {
        const s = pairSumW[f + 37], s2 = pairSumW2[f + 37]
        count[u + 37] += pairCount[f + 37]; sumW[u + 37] += g * s; sumW2[u + 37] += g2 * s2
        pairW[k + 37] += s; pairSquares[k + 37] += ch * s2
      }
      {
        const s = pairSumW[f + 38], s2 = pairSumW2[f + 38]
        count[u + 38] += pairCount[f + 38]; sumW[u + 38] += g * s; sumW2[u + 38] += g2 * s2
        pairW[k + 38] += s; pairSquares[k + 38] += ch * s2
      }
      {
        const s = pairSumW[f + 40], s2 = pairSumW2[f + 40]
        count[u + 40] += pairCount[f + 40]; sumW[u + 40] += g * s; sumW2[u + 40] += g2 * s2
        pairW[k + 40] += s; pairSquares[k + 40] += ch * s2
      }
      {
        const s = pairSumW[f + 41], s2 = pairSumW2[f + 41]
        count[u + 41] += pairCount[f + 41]; sumW[u + 41] += g * s; sumW2[u + 41] += g2 * s2
        pairW[k + 41] += s; pairSquares[k + 41] += ch * s2
      }
      {
        const s = pairSumW[f + 43], s2 = pairSumW2[f + 43]
        count[u + 43] += pairCount[f + 43]; sumW[u + 43] += g * s; sumW2[u + 43] += g2 * s2
        pairW[k + 43] += s; pairSquares[k + 43] += ch * s2
      }
      {
        const s = pairSumW[f + 44], s2 = pairSumW2[f + 44]
        count[u + 44] += pairCount[f + 44]; sumW[u + 44] += g * s; sumW2[u + 44] += g2 * s2
        pairW[k + 44] += s; pairSquares[k + 44] += ch * s2
      }
      {
        const s = pairSumW[f + 46], s2 = pairSumW2[f + 46]
        count[u + 46] += pairCount[f + 46]; sumW[u + 46] += g * s; sumW2[u + 46] += g2 * s2
        pairW[k + 46] += s; pairSquares[k + 46] += ch * s2
      }
      {
        const s = pairSumW[f + 47], s2 = pairSumW2[f + 47]
        count[u + 47] += pairCount[f + 47]; sumW[u + 47] += g * s; sumW2[u + 47] += g2 * s2
        pairW[k + 47] += s; pairSquares[k + 47] += ch * s2
      }
      {
        const s = pairSumW[f + 49], s2 = pairSumW2[f + 49]
        count[u + 49] += pairCount[f + 49]; sumW[u + 49] += g * s; sumW2[u + 49] += g2 * s2
        pairW[k + 49] += s; pairSquares[k + 49] += ch * s2
      }
      {
        const s = pairSumW[f + 50], s2 = pairSumW2[f + 50]
        count[u + 50] += pairCount[f + 50]; sumW[u + 50] += g * s; sumW2[u + 50] += g2 * s2
        pairW[k + 50] += s; pairSquares[k + 50] += ch * s2
      }
      {
        const s = pairSumW[f + 52], s2 = pairSumW2[f + 52]
        count[u + 52] += pairCount[f + 52]; sumW[u + 52] += g * s; sumW2[u + 52] += g2 * s2
        pairW[k + 52] += s; pairSquares[k + 52] += ch * s2
      }
      {
        const s = pairSumW[f + 53], s2 = pairSumW2[f + 53]
        count[u + 53] += pairCount[f + 53]; sumW[u + 53] += g * s; sumW2[u + 53] += g2 * s2
        pairW[k + 53] += s; pairSquares[k + 53] += ch * s2
      }
      {
        const s = pairSumW[f + 55], s2 = pairSumW2[f + 55]
        count[u + 55] += pairCount[f + 55]; sumW[u + 55] += g * s; sumW2[u + 55] += g2 * s2
        pairW[k + 55] += s; pairSquares[k + 55] += ch * s2
      }
      {
        const s = pairSumW[f + 56], s2 = pairSumW2[f + 56]
        count[u + 56] += pairCount[f + 56]; sumW[u + 56] += g * s; sumW2[u + 56] += g2 * s2
        pairW[k + 56] += s; pairSquares[k + 56] += ch * s2
      }
      {
        const s = pairSumW[f + 58], s2 = pairSumW2[f + 58]
        count[u + 58] += pairCount[f + 58]; sumW[u + 58] += g * s; sumW2[u + 58] += g2 * s2
        pairW[k + 58] += s; pairSquares[k + 58] += ch * s2
      }
      {
        const s = pairSumW[f + 59], s2 = pairSumW2[f + 59]
        count[u + 59] += pairCount[f + 59]; sumW[u + 59] += g * s; sumW2[u + 59] += g2 * s2
        pairW[k + 59] += s; pairSquares[k + 59] += ch * s2
      }
      {
        const s = pairSumW[f + 61], s2 = pairSumW2[f + 61]
        count[u + 61] += pairCount[f + 61]; sumW[u + 61] += g * s; sumW2[u + 61] += g2 * s2
        pairW[k + 61] += s; pairSquares[k + 61] += ch * s2
      }
      {
        const s = pairSumW[f + 62], s2 = pairSumW2[f + 62]
        count[u + 62] += pairCount[f + 62]; sumW[u + 62] += g * s; sumW2[u + 62] += g2 * s2
        pairW[k + 62] += s; pairSquares[k + 62] += ch * s2
      }
      {
        const s = pairSumW[f + 64], s2 = pairSumW2[f + 64]
        count[u + 64] += pairCount[f + 64]; sumW[u + 64] += g * s; sumW2[u + 64] += g2 * s2
        pairW[k + 64] += s; pairSquares[k + 64] += ch * s2
      }
      {
        const s = pairSumW[f + 65], s2 = pairSumW2[f + 65]
        count[u + 65] += pairCount[f + 65]; sumW[u + 65] += g * s; sumW2[u + 65] += g2 * s2
        pairW[k + 65] += s; pairSquares[k + 65] += ch * s2
      }
      {
        const s = pairSumW[f + 67], s2 = pairSumW2[f + 67]
        count[u + 67] += pairCount[f + 67]; sumW[u + 67] += g * s; sumW2[u + 67] += g2 * s2
        pairW[k + 67] += s; pairSquares[k + 67] += ch * s2
      }
      {
        const s = pairSumW[f + 68], s2 = pairSumW2[f + 68]
        count[u + 68] += pairCount[f + 68]; sumW[u + 68] += g * s; sumW2[u + 68] += g2 * s2
        pairW[k + 68] += s; pairSquares[k + 68] += ch * s2
      }
      {
        const s = pairSumW[f + 70], s2 = pairSumW2[f + 70]
        count[u + 70] += pairCount[f + 70]; sumW[u + 70] += g * s; sumW2[u + 70] += g2 * s2
        pairW[k + 70] += s; pairSquares[k + 70] += ch * s2
      }
      {
        const s = pairSumW[f + 71], s2 = pairSumW2[f + 71]
        count[u + 71] += pairCount[f + 71]; sumW[u + 71] += g * s; sumW2[u + 71] += g2 * s2
        pairW[k + 71] += s; pairSquares[k + 71] += ch * s2
      }
      {
        const s = pairSumW[f + 73], s2 = pairSumW2[f + 73]
        count[u + 73] += pairCount[f + 73]; sumW[u + 73] += g * s; sumW2[u + 73] += g2 * s2
        pairW[k + 73] += s; pairSquares[k + 73] += ch * s2
      }
      {
        const s = pairSumW[f + 74], s2 = pairSumW2[f + 74]
        count[u + 74] += pairCount[f + 74]; sumW[u + 74] += g * s; sumW2[u + 74] += g2 * s2
        pairW[k + 74] += s; pairSquares[k + 74] += ch * s2
      }
      {
        const s = pairSumW[f + 76], s2 = pairSumW2[f + 76]
        count[u + 76] += pairCount[f + 76]; sumW[u + 76] += g * s; sumW2[u + 76] += g2 * s2
        pairW[k + 76] += s; pairSquares[k + 76] += ch * s2
      }
      {
        const s = pairSumW[f + 77], s2 = pairSumW2[f + 77]
        count[u + 77] += pairCount[f + 77]; sumW[u + 77] += g * s; sumW2[u + 77] += g2 * s2
        pairW[k + 77] += s; pairSquares[k + 77] += ch * s2
      }
      {
        const s = pairSumW[f + 79], s2 = pairSumW2[f + 79]
        count[u + 79] += pairCount[f + 79]; sumW[u + 79] += g * s; sumW2[u + 79] += g2 * s2
        pairW[k + 79] += s; pairSquares[k + 79] += ch * s2
      }
      {
        const s = pairSumW[f + 80], s2 = pairSumW2[f + 80]
        count[u + 80] += pairCount[f + 80]; sumW[u + 80] += g * s; sumW2[u + 80] += g2 * s2
        pairW[k + 80] += s; pairSquares[k + 80] += ch * s2
      }
      {
        const s = pairSumW[f + 82], s2 = pairSumW2[f + 82]
        count[u + 82] += pairCount[f + 82]; sumW[u + 82] += g * s; sumW2[u + 82] += g2 * s2
        pairW[k + 82] += s; pairSquares[k + 82] += ch * s2
      }
      {
        const s = pairSumW[f + 83], s2 = pairSumW2[f + 83]
        count[u + 83] += pairCount[f + 83]; sumW[u + 83] += g * s; sumW2[u + 83] += g2 * s2
        pairW[k + 83] += s; pairSquares[k + 83] += ch * s2
      }
      {
        const s = pairSumW[f + 85], s2 = pairSumW2[f + 85]
        count[u + 85] += pairCount[f + 85]; sumW[u + 85] += g * s; sumW2[u + 85] += g2 * s2
        pairW[k + 85] += s; pairSquares[k + 85] += ch * s2
      }
      {
        const s = pairSumW[f + 86], s2 = pairSumW2[f + 86]
        count[u + 86] += pairCount[f + 86]; sumW[u + 86] += g * s; sumW2[u + 86] += g2 * s2
        pairW[k + 86] += s; pairSquares[k + 86] += ch * s2
      }
      {
        const s = pairSumW[f + 88], s2 = pairSumW2[f + 88]
        count[u + 88] += pairCount[f + 88]; sumW[u + 88] += g * s; sumW2[u + 88] += g2 * s2
        pairW[k + 88] += s; pairSquares[k + 88] += ch * s2
      }
      {
        const s = pairSumW[f + 89], s2 = pairSumW2[f + 89]
        count[u + 89] += pairCount[f + 89]; sumW[u + 89] += g * s; sumW2[u + 89] += g2 * s2
        pairW[k + 89] += s; pairSquares[k + 89] += ch * s2
      }
      {
        const s = pairSumW[f + 91], s2 = pairSumW2[f + 91]
        count[u + 91] += pairCount[f + 91]; sumW[u + 91] += g * s; sumW2[u + 91] += g2 * s2
        pairW[k + 91] += s; pairSquares[k + 91] += ch * s2
      }
      {
        const s = pairSumW[f + 92], s2 = pairSumW2[f + 92]
        count[u + 92] += pairCount[f + 92]; sumW[u + 92] += g * s; sumW2[u + 92] += g2 * s2
        pairW[k + 92] += s; pairSquares[k + 92] += ch * s2
      }
      {
        const s = pairSumW[f + 94], s2 = pairSumW2[f + 94]
        count[u + 94] += pairCount[f + 94]; sumW[u + 94] += g * s; sumW2[u + 94] += g2 * s2
        pairW[k + 94] += s; pairSquares[k + 94] += ch * s2
      }
      {
        const s = pairSumW[f + 95], s2 = pairSumW2[f + 95]
        count[u + 95] += pairCount[f + 95]; sumW[u + 95] += g * s; sumW2[u + 95] += g2 * s2
        pairW[k + 95] += s; pairSquares[k + 95] += ch * s2
      }
      {
        const s = pairSumW[f + 97], s2 = pairSumW2[f + 97]
        count[u + 97] += pairCount[f + 97]; sumW[u + 97] += g * s; sumW2[u + 97] += g2 * s2
        pairW[k + 97] += s; pairSquares[k + 97] += ch * s2
      }
      {
        const s = pairSumW[f + 98], s2 = pairSumW2[f + 98]
        count[u + 98] += pairCount[f + 98]; sumW[u + 98] += g * s; sumW2[u + 98] += g2 * s2
        pairW[k + 98] += s; pairSquares[k + 98] += ch * s2
      }
      {
        const s = pairSumW[f + 99], s2 = pairSumW2[f + 99]
        count[u + 99] += pairCount[f + 99]; sumW[u + 99] += g * s; sumW2[u + 99] += g2 * s2
        pairW[k + 99] += s; pairSquares[k + 99] += ch * s2
      }
      {
        const s = pairSumW[f + 100], s2 = pairSumW2[f + 100]
        count[u + 100] += pairCount[f + 100]; sumW[u + 100] += g * s; sumW2[u + 100] += g2 * s2
        pairW[k + 100] += s; pairSquares[k + 100] += ch * s2
      }
      {
        const s = pairSumW[f + 102], s2 = pairSumW2[f + 102]
        count[u + 102] += pairCount[f + 102]; sumW[u + 102] += g * s; sumW2[u + 102] += g2 * s2
        pairW[k + 102] += s; pairSquares[k + 102] += ch * s2
      }
      {
        const s = pairSumW[f + 103], s2 = pairSumW2[f + 103]
        count[u + 103] += pairCount[f + 103]; sumW[u + 103] += g * s; sumW2[u + 103] += g2 * s2
        pairW[k + 103] += s; pairSquares[k + 103] += ch * s2
      }
      {
        const s = pairSumW[f + 105], s2 = pairSumW2[f + 105]
        count[u + 105] += pairCount[f + 105]; sumW[u + 105] += g * s; sumW2[u + 105] += g2 * s2
        pairW[k + 105] += s; pairSquares[k + 105] += ch * s2
      }
      {
        const s = pairSumW[f + 106], s2 = pairSumW2[f + 106]
        count[u + 106] += pairCount[f + 106]; sumW[u + 106] += g * s; sumW2[u + 106] += g2 * s2
        pairW[k + 106] += s; pairSquares[k + 106] += ch * s2
      }
      {
        const s = pairSumW[f + 108], s2 = pairSumW2[f + 108]
        count[u + 108] += pairCount[f + 108]; sumW[u + 108] += g * s; sumW2[u + 108] += g2 * s2
        pairW[k + 108] += s; pairSquares[k + 108] += ch * s2
      }
      {
        const s = pairSumW[f + 109], s2 = pairSumW2[f + 109]
        count[u + 109] += pairCount[f + 109]; sumW[u + 109] += g * s; sumW2[u + 109] += g2 * s2
        pairW[k + 109] += s; pairSquares[k + 109] += ch * s2
      }
      {
        const s = pairSumW[f + 111], s2 = pairSumW2[f + 111]
        count[u + 111] += pairCount[f + 111]; sumW[u + 111] += g * s; sumW2[u + 111] += g2 * s2
        pairW[k + 111] += s; pairSquares[k + 111] += ch * s2
      }
      {
        const s = pairSumW[f + 112], s2 = pairSumW2[f + 112]
        count[u + 112] += pairCount[f + 112]; sumW[u + 112] += g * s; sumW2[u + 112] += g2 * s2
        pairW[k + 112] += s; pairSquares[k + 112] += ch * s2
      }
      {
        const s = pairSumW[f + 114], s2 = pairSumW2[f + 114]
        count[u + 114] += pairCount[f + 114]; sumW[u + 114] += g * s; sumW2[u + 114] += g2 * s2
        pairW[k + 114] += s; pairSquares[k + 114] += ch * s2
      }
      {
        const s = pairSumW[f + 115], s2 = pairSumW2[f + 115]
        count[u + 115] += pairCount[f + 115]; sumW[u + 115] += g * s; sumW2[u + 115] += g2 * s2
        pairW[k + 115] += s; pairSquares[k + 115] += ch * s2
      }
      {
        const s = pairSumW[f + 117], s2 = pairSumW2[f + 117]
        count[u + 117] += pairCount[f + 117]; sumW[u + 117] += g * s; sumW2[u + 117] += g2 * s2
        pairW[k + 117] += s; pairSquares[k + 117] += ch * s2
      }
      {
        const s = pairSumW[f + 118], s2 = pairSumW2[f + 118]
        count[u + 118] += pairCount[f + 118]; sumW[u + 118] += g * s; sumW2[u + 118] += g2 * s2
        pairW[k + 118] += s; pairSquares[k + 118] += ch * s2
      }
      {
        const s = pairSumW[f + 120], s2 = pairSumW2[f + 120]
        count[u + 120] += pairCount[f + 120]; sumW[u + 120] += g * s; sumW2[u + 120] += g2 * s2
        pairW[k + 120] += s; pairSquares[k + 120] += ch * s2
      }
      {
        const s = pairSumW[f + 121], s2 = pairSumW2[f + 121]
        count[u + 121] += pairCount[f + 121]; sumW[u + 121] += g * s; sumW2[u + 121] += g2 * s2
        pairW[k + 121] += s; pairSquares[k + 121] += ch * s2
      }
    }
}

// domain totals: each ratio's Σ w·y, Σ w·x and valid answers per group and over the domain (estimate.ts)
function (G, count, sumW, ratioY, ratioX, ratioN, Y, X, n) {
'use strict'

    let Y0 = 0, X0 = 0, n0 = 0, Y1 = 0, X1 = 0, n1 = 0, Y2 = 0, X2 = 0, n2 = 0, Y3 = 0, X3 = 0, n3 = 0, Y4 = 0, X4 = 0, n4 = 0, Y5 = 0, X5 = 0, n5 = 0, Y6 = 0, X6 = 0, n6 = 0, Y7 = 0, X7 = 0, n7 = 0, Y8 = 0, X8 = 0, n8 = 0, Y9 = 0, X9 = 0, n9 = 0, Y10 = 0, X10 = 0, n10 = 0, Y11 = 0, X11 = 0, n11 = 0, Y12 = 0, X12 = 0, n12 = 0, Y13 = 0, X13 = 0, n13 = 0, Y14 = 0, X14 = 0, n14 = 0, Y15 = 0, X15 = 0, n15 = 0, Y16 = 0, X16 = 0, n16 = 0, Y17 = 0, X17 = 0, n17 = 0, Y18 = 0, X18 = 0, n18 = 0, Y19 = 0, X19 = 0, n19 = 0, Y20 = 0, X20 = 0, n20 = 0, Y21 = 0, X21 = 0, n21 = 0, Y22 = 0, X22 = 0, n22 = 0, Y23 = 0, X23 = 0, n23 = 0, Y24 = 0, X24 = 0, n24 = 0, Y25 = 0, X25 = 0, n25 = 0, Y26 = 0, X26 = 0, n26 = 0, Y27 = 0, X27 = 0, n27 = 0, Y28 = 0, X28 = 0, n28 = 0, Y29 = 0, X29 = 0, n29 = 0, Y30 = 0, X30 = 0, n30 = 0, Y31 = 0, X31 = 0, n31 = 0, Y32 = 0, X32 = 0, n32 = 0, Y33 = 0, X33 = 0, n33 = 0, Y34 = 0, X34 = 0, n34 = 0, Y35 = 0, X35 = 0, n35 = 0, Y36 = 0, X36 = 0, n36 = 0, Y37 = 0, X37 = 0, n37 = 0, Y38 = 0, X38 = 0, n38 = 0, Y39 = 0, X39 = 0, n39 = 0, Y40 = 0, X40 = 0, n40 = 0
    for (let i = 0, b = 0; i < G; i++, b += 123) {
      {
        const y = sumW[b + 2]
        const x = sumW[b + 1] + sumW[b + 2]
        const c = count[b + 1] + count[b + 2]
        ratioY[0 * G + i] = y; ratioX[0 * G + i] = x; ratioN[0 * G + i] = c
        Y0 += y; X0 += x; n0 += c
      }
      {
        const y = sumW[b + 5]
        const x = sumW[b + 4] + sumW[b + 5]
        const c = count[b + 4] + count[b + 5]
        ratioY[1 * G + i] = y; ratioX[1 * G + i] = x; ratioN[1 * G + i] = c
        Y1 += y; X1 += x; n1 += c
      }
      {
        const y = sumW[b + 8]
        const x = sumW[b + 7] + sumW[b + 8]
        const c = count[b + 7] + count[b + 8]
        ratioY[2 * G + i] = y; ratioX[2 * G + i] = x; ratioN[2 * G + i] = c
        Y2 += y; X2 += x; n2 += c
      }
      {
        const y = sumW[b + 11]
        const x = sumW[b + 10] + sumW[b + 11]
        const c = count[b + 10] + count[b + 11]
        ratioY[3 * G + i] = y; ratioX[3 * G + i] = x; ratioN[3 * G + i] = c
        Y3 += y; X3 += x; n3 += c
      }
      {
        const y = sumW[b + 14]
        const x = sumW[b + 13] + sumW[b + 14]
        const c = count[b + 13] + count[b + 14]
        ratioY[4 * G + i] = y; ratioX[4 * G + i] = x; ratioN[4 * G + i] = c
        Y4 += y; X4 += x; n4 += c
      }
      {
        const y = sumW[b + 17]
        const x = sumW[b + 16] + sumW[b + 17]
        const c = count[b + 16] + count[b + 17]
        ratioY[5 * G + i] = y; ratioX[5 * G + i] = x; ratioN[5 * G + i] = c
        Y5 += y; X5 += x; n5 += c
      }
      {
        const y = sumW[b + 20]
        const x = sumW[b + 19] + sumW[b + 20]
        const c = count[b + 19] + count[b + 20]
        ratioY[6 * G + i] = y; ratioX[6 * G + i] = x; ratioN[6 * G + i] = c
        Y6 += y; X6 += x; n6 += c
      }
      {
        const y = sumW[b + 23]
        const x = sumW[b + 22] + sumW[b + 23]
        const c = count[b + 22] + count[b + 23]
        ratioY[7 * G + i] = y; ratioX[7 * G + i] = x; ratioN[7 * G + i] = c
        Y7 += y; X7 += x; n7 += c
      }
      {
        const y = sumW[b + 26]
        const x = sumW[b + 25] + sumW[b + 26]
        const c = count[b + 25] + count[b + 26]
        ratioY[8 * G + i] = y; ratioX[8 * G + i] = x; ratioN[8 * G + i] = c
        Y8 += y; X8 += x; n8 += c
      }
      {
        const y = sumW[b + 29]
        const x = sumW[b + 28] + sumW[b + 29]
        const c = count[b + 28] + count[b + 29]
        ratioY[9 * G + i] = y; ratioX[9 * G + i] = x; ratioN[9 * G + i] = c
        Y9 += y; X9 += x; n9 += c
      }
      {
        const y = sumW[b + 32]
        const x = sumW[b + 31] + sumW[b + 32]
        const c = count[b + 31] + count[b + 32]
        ratioY[10 * G + i] = y; ratioX[10 * G + i] = x; ratioN[10 * G + i] = c
        Y10 += y; X10 += x; n10 += c
      }
      {
        const y = sumW[b + 35]
        const x = sumW[b + 34] + sumW[b + 35]
        const c = count[b + 34] + count[b + 35]
        ratioY[11 * G + i] = y; ratioX[11 * G + i] = x; ratioN[11 * G + i] = c
        Y11 += y; X11 += x; n11 += c
      }
      {
        const y = sumW[b + 38]
        const x = sumW[b + 37] + sumW[b + 38]
        const c = count[b + 37] + count[b + 38]
        ratioY[12 * G + i] = y; ratioX[12 * G + i] = x; ratioN[12 * G + i] = c
        Y12 += y; X12 += x; n12 += c
      }
      {
        const y = sumW[b + 41]
        const x = sumW[b + 40] + sumW[b + 41]
        const c = count[b + 40] + count[b + 41]
        ratioY[13 * G + i] = y; ratioX[13 * G + i] = x; ratioN[13 * G + i] = c
        Y13 += y; X13 += x; n13 += c
      }
      {
        const y = sumW[b + 44]
        const x = sumW[b + 43] + sumW[b + 44]
        const c = count[b + 43] + count[b + 44]
        ratioY[14 * G + i] = y; ratioX[14 * G + i] = x; ratioN[14 * G + i] = c
        Y14 += y; X14 += x; n14 += c
      }
      {
        const y = sumW[b + 47]
        const x = sumW[b + 46] + sumW[b + 47]
        const c = count[b + 46] + count[b + 47]
        ratioY[15 * G + i] = y; ratioX[15 * G + i] = x; ratioN[15 * G + i] = c
        Y15 += y; X15 += x; n15 += c
      }
      {
        const y = sumW[b + 50]
        const x = sumW[b + 49] + sumW[b + 50]
        const c = count[b + 49] + count[b + 50]
        ratioY[16 * G + i] = y; ratioX[16 * G + i] = x; ratioN[16 * G + i] = c
        Y16 += y; X16 += x; n16 += c
      }
      {
        const y = sumW[b + 53]
        const x = sumW[b + 52] + sumW[b + 53]
        const c = count[b + 52] + count[b + 53]
        ratioY[17 * G + i] = y; ratioX[17 * G + i] = x; ratioN[17 * G + i] = c
        Y17 += y; X17 += x; n17 += c
      }
      {
        const y = sumW[b + 56]
        const x = sumW[b + 55] + sumW[b + 56]
        const c = count[b + 55] + count[b + 56]
        ratioY[18 * G + i] = y; ratioX[18 * G + i] = x; ratioN[18 * G + i] = c
        Y18 += y; X18 += x; n18 += c
      }
      {
        const y = sumW[b + 59]
        const x = sumW[b + 58] + sumW[b + 59]
        const c = count[b + 58] + count[b + 59]
        ratioY[19 * G + i] = y; ratioX[19 * G + i] = x; ratioN[19 * G + i] = c
        Y19 += y; X19 += x; n19 += c
      }
      {
        const y = sumW[b + 62]
        const x = sumW[b + 61] + sumW[b + 62]
        const c = count[b + 61] + count[b + 62]
        ratioY[20 * G + i] = y; ratioX[20 * G + i] = x; ratioN[20 * G + i] = c
        Y20 += y; X20 += x; n20 += c
      }
      {
        const y = sumW[b + 65]
        const x = sumW[b + 64] + sumW[b + 65]
        const c = count[b + 64] + count[b + 65]
        ratioY[21 * G + i] = y; ratioX[21 * G + i] = x; ratioN[21 * G + i] = c
        Y21 += y; X21 += x; n21 += c
      }
      {
        const y = sumW[b + 68]
        const x = sumW[b + 67] + sumW[b + 68]
        const c = count[b + 67] + count[b + 68]
        ratioY[22 * G + i] = y; ratioX[22 * G + i] = x; ratioN[22 * G + i] = c
        Y22 += y; X22 += x; n22 += c
      }
      {
        const y = sumW[b + 71]
        const x = sumW[b + 70] + sumW[b + 71]
        const c = count[b + 70] + count[b + 71]
        ratioY[23 * G + i] = y; ratioX[23 * G + i] = x; ratioN[23 * G + i] = c
        Y23 += y; X23 += x; n23 += c
      }
      {
        const y = sumW[b + 74]
        const x = sumW[b + 73] + sumW[b + 74]
        const c = count[b + 73] + count[b + 74]
        ratioY[24 * G + i] = y; ratioX[24 * G + i] = x; ratioN[24 * G + i] = c
        Y24 += y; X24 += x; n24 += c
      }
      {
        const y = sumW[b + 77]
        const x = sumW[b + 76] + sumW[b + 77]
        const c = count[b + 76] + count[b + 77]
        ratioY[25 * G + i] = y; ratioX[25 * G + i] = x; ratioN[25 * G + i] = c
        Y25 += y; X25 += x; n25 += c
      }
      {
        const y = sumW[b + 80]
        const x = sumW[b + 79] + sumW[b + 80]
        const c = count[b + 79] + count[b + 80]
        ratioY[26 * G + i] = y; ratioX[26 * G + i] = x; ratioN[26 * G + i] = c
        Y26 += y; X26 += x; n26 += c
      }
      {
        const y = sumW[b + 83]
        const x = sumW[b + 82] + sumW[b + 83]
        const c = count[b + 82] + count[b + 83]
        ratioY[27 * G + i] = y; ratioX[27 * G + i] = x; ratioN[27 * G + i] = c
        Y27 += y; X27 += x; n27 += c
      }
      {
        const y = sumW[b + 85]
        const x = sumW[b + 85] + sumW[b + 86]
        const c = count[b + 85] + count[b + 86]
        ratioY[28 * G + i] = y; ratioX[28 * G + i] = x; ratioN[28 * G + i] = c
        Y28 += y; X28 += x; n28 += c
      }
      {
        const y = sumW[b + 88]
        const x = sumW[b + 88] + sumW[b + 89]
        const c = count[b + 88] + count[b + 89]
        ratioY[29 * G + i] = y; ratioX[29 * G + i] = x; ratioN[29 * G + i] = c
        Y29 += y; X29 += x; n29 += c
      }
      {
        const y = sumW[b + 91]
        const x = sumW[b + 91] + sumW[b + 92]
        const c = count[b + 91] + count[b + 92]
        ratioY[30 * G + i] = y; ratioX[30 * G + i] = x; ratioN[30 * G + i] = c
        Y30 += y; X30 += x; n30 += c
      }
      {
        const y = sumW[b + 94]
        const x = sumW[b + 94] + sumW[b + 95]
        const c = count[b + 94] + count[b + 95]
        ratioY[31 * G + i] = y; ratioX[31 * G + i] = x; ratioN[31 * G + i] = c
        Y31 += y; X31 += x; n31 += c
      }
      {
        const y = sumW[b + 97]
        const x = sumW[b + 97] + sumW[b + 98]
        const c = count[b + 97] + count[b + 98]
        ratioY[32 * G + i] = y; ratioX[32 * G + i] = x; ratioN[32 * G + i] = c
        Y32 += y; X32 += x; n32 += c
      }
      {
        const y = sumW[b + 100]
        const x = sumW[b + 99] + sumW[b + 100]
        const c = count[b + 99] + count[b + 100]
        ratioY[33 * G + i] = y; ratioX[33 * G + i] = x; ratioN[33 * G + i] = c
        Y33 += y; X33 += x; n33 += c
      }
      {
        const y = sumW[b + 103]
        const x = sumW[b + 102] + sumW[b + 103]
        const c = count[b + 102] + count[b + 103]
        ratioY[34 * G + i] = y; ratioX[34 * G + i] = x; ratioN[34 * G + i] = c
        Y34 += y; X34 += x; n34 += c
      }
      {
        const y = sumW[b + 106]
        const x = sumW[b + 105] + sumW[b + 106]
        const c = count[b + 105] + count[b + 106]
        ratioY[35 * G + i] = y; ratioX[35 * G + i] = x; ratioN[35 * G + i] = c
        Y35 += y; X35 += x; n35 += c
      }
      {
        const y = sumW[b + 109]
        const x = sumW[b + 108] + sumW[b + 109]
        const c = count[b + 108] + count[b + 109]
        ratioY[36 * G + i] = y; ratioX[36 * G + i] = x; ratioN[36 * G + i] = c
        Y36 += y; X36 += x; n36 += c
      }
      {
        const y = sumW[b + 112]
        const x = sumW[b + 111] + sumW[b + 112]
        const c = count[b + 111] + count[b + 112]
        ratioY[37 * G + i] = y; ratioX[37 * G + i] = x; ratioN[37 * G + i] = c
        Y37 += y; X37 += x; n37 += c
      }
      {
        const y = sumW[b + 115]
        const x = sumW[b + 114] + sumW[b + 115]
        const c = count[b + 114] + count[b + 115]
        ratioY[38 * G + i] = y; ratioX[38 * G + i] = x; ratioN[38 * G + i] = c
        Y38 += y; X38 += x; n38 += c
      }
      {
        const y = sumW[b + 118]
        const x = sumW[b + 117] + sumW[b + 118]
        const c = count[b + 117] + count[b + 118]
        ratioY[39 * G + i] = y; ratioX[39 * G + i] = x; ratioN[39 * G + i] = c
        Y39 += y; X39 += x; n39 += c
      }
      {
        const y = sumW[b + 121]
        const x = sumW[b + 120] + sumW[b + 121]
        const c = count[b + 120] + count[b + 121]
        ratioY[40 * G + i] = y; ratioX[40 * G + i] = x; ratioN[40 * G + i] = c
        Y40 += y; X40 += x; n40 += c
      }
    }
    Y[0] = Y0; X[0] = X0; n[0] = n0
    Y[1] = Y1; X[1] = X1; n[1] = n1
    Y[2] = Y2; X[2] = X2; n[2] = n2
    Y[3] = Y3; X[3] = X3; n[3] = n3
    Y[4] = Y4; X[4] = X4; n[4] = n4
    Y[5] = Y5; X[5] = X5; n[5] = n5
    Y[6] = Y6; X[6] = X6; n[6] = n6
    Y[7] = Y7; X[7] = X7; n[7] = n7
    Y[8] = Y8; X[8] = X8; n[8] = n8
    Y[9] = Y9; X[9] = X9; n[9] = n9
    Y[10] = Y10; X[10] = X10; n[10] = n10
    Y[11] = Y11; X[11] = X11; n[11] = n11
    Y[12] = Y12; X[12] = X12; n[12] = n12
    Y[13] = Y13; X[13] = X13; n[13] = n13
    Y[14] = Y14; X[14] = X14; n[14] = n14
    Y[15] = Y15; X[15] = X15; n[15] = n15
    Y[16] = Y16; X[16] = X16; n[16] = n16
    Y[17] = Y17; X[17] = X17; n[17] = n17
    Y[18] = Y18; X[18] = X18; n[18] = n18
    Y[19] = Y19; X[19] = X19; n[19] = n19
    Y[20] = Y20; X[20] = X20; n[20] = n20
    Y[21] = Y21; X[21] = X21; n[21] = n21
    Y[22] = Y22; X[22] = X22; n[22] = n22
    Y[23] = Y23; X[23] = X23; n[23] = n23
    Y[24] = Y24; X[24] = X24; n[24] = n24
    Y[25] = Y25; X[25] = X25; n[25] = n25
    Y[26] = Y26; X[26] = X26; n[26] = n26
    Y[27] = Y27; X[27] = X27; n[27] = n27
    Y[28] = Y28; X[28] = X28; n[28] = n28
    Y[29] = Y29; X[29] = X29; n[29] = n29
    Y[30] = Y30; X[30] = X30; n[30] = n30
    Y[31] = Y31; X[31] = X31; n[31] = n31
    Y[32] = Y32; X[32] = X32; n[32] = n32
    Y[33] = Y33; X[33] = X33; n[33] = n33
    Y[34] = Y34; X[34] = X34; n[34] = n34
    Y[35] = Y35; X[35] = X35; n[35] = n35
    Y[36] = Y36; X[36] = X36; n[36] = n36
    Y[37] = Y37; X[37] = X37; n[37] = n37
    Y[38] = Y38; X[38] = X38; n[38] = n38
    Y[39] = Y39; X[39] = X39; n[39] = n39
    Y[40] = Y40; X[40] = X40; n[40] = n40
}

// domain totals: each index's Σ t per group, and Σ t² of single-question indices (estimate.ts)
function (G, sumW2, ratioY, ratioX, R, inverseX, sumT, sumT2) {
'use strict'

    const R0 = R[0], v0 = inverseX[0]
    const R1 = R[1], v1 = inverseX[1]
    const R2 = R[2], v2 = inverseX[2]
    const R3 = R[3], v3 = inverseX[3]
    const R4 = R[4], v4 = inverseX[4]
    const R5 = R[5], v5 = inverseX[5]
    const R6 = R[6], v6 = inverseX[6]
    const R7 = R[7], v7 = inverseX[7]
    const R8 = R[8], v8 = inverseX[8]
    const R9 = R[9], v9 = inverseX[9]
    const R10 = R[10], v10 = inverseX[10]
    const R11 = R[11], v11 = inverseX[11]
    const R12 = R[12], v12 = inverseX[12]
    const R13 = R[13], v13 = inverseX[13]
    const R14 = R[14], v14 = inverseX[14]
    const R15 = R[15], v15 = inverseX[15]
    const R16 = R[16], v16 = inverseX[16]
    const R17 = R[17], v17 = inverseX[17]
    const R18 = R[18], v18 = inverseX[18]
    const R19 = R[19], v19 = inverseX[19]
    const R20 = R[20], v20 = inverseX[20]
    const R21 = R[21], v21 = inverseX[21]
    const R22 = R[22], v22 = inverseX[22]
    const R23 = R[23], v23 = inverseX[23]
    const R24 = R[24], v24 = inverseX[24]
    const R25 = R[25], v25 = inverseX[25]
    const R26 = R[26], v26 = inverseX[26]
    const R27 = R[27], v27 = inverseX[27]
    const R28 = R[28], v28 = inverseX[28]
    const R29 = R[29], v29 = inverseX[29]
    const R30 = R[30], v30 = inverseX[30]
    const R31 = R[31], v31 = inverseX[31]
    const R32 = R[32], v32 = inverseX[32]
    const R33 = R[33], v33 = inverseX[33]
    const R34 = R[34], v34 = inverseX[34]
    const R35 = R[35], v35 = inverseX[35]
    const R36 = R[36], v36 = inverseX[36]
    const R37 = R[37], v37 = inverseX[37]
    const R38 = R[38], v38 = inverseX[38]
    const R39 = R[39], v39 = inverseX[39]
    const R40 = R[40], v40 = inverseX[40]
    const t0_0 = ((1) * v0 * ((0) - R0 * (1))) ** 2
    const t0_1 = ((1) * v0 * ((1) - R0 * (1))) ** 2
    const t1_0 = ((1) * v1 * ((0) - R1 * (1))) ** 2
    const t1_1 = ((1) * v1 * ((1) - R1 * (1))) ** 2
    const t2_0 = ((1) * v2 * ((0) - R2 * (1))) ** 2
    const t2_1 = ((1) * v2 * ((1) - R2 * (1))) ** 2
    const t3_0 = ((1) * v3 * ((0) - R3 * (1))) ** 2
    const t3_1 = ((1) * v3 * ((1) - R3 * (1))) ** 2
    const t4_0 = ((1) * v4 * ((0) - R4 * (1))) ** 2
    const t4_1 = ((1) * v4 * ((1) - R4 * (1))) ** 2
    const t5_0 = ((1) * v5 * ((0) - R5 * (1))) ** 2
    const t5_1 = ((1) * v5 * ((1) - R5 * (1))) ** 2
    const t6_0 = ((1) * v6 * ((0) - R6 * (1))) ** 2
    const t6_1 = ((1) * v6 * ((1) - R6 * (1))) ** 2
    const t7_0 = ((1) * v7 * ((0) - R7 * (1))) ** 2
    const t7_1 = ((1) * v7 * ((1) - R7 * (1))) ** 2
    const t8_0 = ((1) * v8 * ((0) - R8 * (1))) ** 2
    const t8_1 = ((1) * v8 * ((1) - R8 * (1))) ** 2
    const t9_0 = ((1) * v9 * ((0) - R9 * (1))) ** 2
    const t9_1 = ((1) * v9 * ((1) - R9 * (1))) ** 2
    const t10_0 = ((1) * v10 * ((0) - R10 * (1))) ** 2
    const t10_1 = ((1) * v10 * ((1) - R10 * (1))) ** 2
    const t11_0 = ((1) * v11 * ((0) - R11 * (1))) ** 2
    const t11_1 = ((1) * v11 * ((1) - R11 * (1))) ** 2
    const t12_0 = ((1) * v12 * ((0) - R12 * (1))) ** 2
    const t12_1 = ((1) * v12 * ((1) - R12 * (1))) ** 2
    const t13_0 = ((1) * v13 * ((0) - R13 * (1))) ** 2
    const t13_1 = ((1) * v13 * ((1) - R13 * (1))) ** 2
    const t14_0 = ((1) * v14 * ((0) - R14 * (1))) ** 2
    const t14_1 = ((1) * v14 * ((1) - R14 * (1))) ** 2
    const t15_0 = ((1) * v15 * ((0) - R15 * (1))) ** 2
    const t15_1 = ((1) * v15 * ((1) - R15 * (1))) ** 2
    const t16_0 = ((1) * v16 * ((0) - R16 * (1))) ** 2
    const t16_1 = ((1) * v16 * ((1) - R16 * (1))) ** 2
    const t17_0 = ((1) * v17 * ((0) - R17 * (1))) ** 2
    const t17_1 = ((1) * v17 * ((1) - R17 * (1))) ** 2
    const t18_0 = ((1) * v18 * ((0) - R18 * (1))) ** 2
    const t18_1 = ((1) * v18 * ((1) - R18 * (1))) ** 2
    const t19_0 = ((1) * v19 * ((0) - R19 * (1))) ** 2
    const t19_1 = ((1) * v19 * ((1) - R19 * (1))) ** 2
    const t20_0 = ((1) * v20 * ((0) - R20 * (1))) ** 2
    const t20_1 = ((1) * v20 * ((1) - R20 * (1))) ** 2
    const t21_0 = ((1) * v21 * ((0) - R21 * (1))) ** 2
    const t21_1 = ((1) * v21 * ((1) - R21 * (1))) ** 2
    const t28_0 = ((1) * v22 * ((0) - R22 * (1))) ** 2
    const t28_1 = ((1) * v22 * ((1) - R22 * (1))) ** 2
    const t29_0 = ((1) * v23 * ((0) - R23 * (1))) ** 2
    const t29_1 = ((1) * v23 * ((1) - R23 * (1))) ** 2
    const t30_0 = ((1) * v24 * ((0) - R24 * (1))) ** 2
    const t30_1 = ((1) * v24 * ((1) - R24 * (1))) ** 2
    const t31_0 = ((1) * v25 * ((0) - R25 * (1))) ** 2
    const t31_1 = ((1) * v25 * ((1) - R25 * (1))) ** 2
    const t32_0 = ((1) * v26 * ((0) - R26 * (1))) ** 2
    const t32_1 = ((1) * v26 * ((1) - R26 * (1))) ** 2
    const t33_0 = ((1) * v27 * ((0) - R27 * (1))) ** 2
    const t33_1 = ((1) * v27 * ((1) - R27 * (1))) ** 2
    const t34_0 = ((1) * v28 * ((1) - R28 * (1))) ** 2
    const t34_1 = ((1) * v28 * ((0) - R28 * (1))) ** 2
    const t35_0 = ((1) * v29 * ((1) - R29 * (1))) ** 2
    const t35_1 = ((1) * v29 * ((0) - R29 * (1))) ** 2
    const t36_0 = ((1) * v30 * ((1) - R30 * (1))) ** 2
    const t36_1 = ((1) * v30 * ((0) - R30 * (1))) ** 2
    const t37_0 = ((1) * v31 * ((1) - R31 * (1))) ** 2
    const t37_1 = ((1) * v31 * ((0) - R31 * (1))) ** 2
    const t38_0 = ((1) * v32 * ((1) - R32 * (1))) ** 2
    const t38_1 = ((1) * v32 * ((0) - R32 * (1))) ** 2
    const t39_0 = ((1) * v33 * ((0) - R33 * (1))) ** 2
    const t39_1 = ((1) * v33 * ((1) - R33 * (1))) ** 2
    const t40_0 = ((1) * v34 * ((0) - R34 * (1))) ** 2
    const t40_1 = ((1) * v34 * ((1) - R34 * (1))) ** 2
    const t41_0 = ((1) * v35 * ((0) - R35 * (1))) ** 2
    const t41_1 = ((1) * v35 * ((1) - R35 * (1))) ** 2
    const t42_0 = ((1) * v36 * ((0) - R36 * (1))) ** 2
    const t42_1 = ((1) * v36 * ((1) - R36 * (1))) ** 2
    const t43_0 = ((1) * v37 * ((0) - R37 * (1))) ** 2
    const t43_1 = ((1) * v37 * ((1) - R37 * (1))) ** 2
    const t44_0 = ((1) * v38 * ((0) - R38 * (1))) ** 2
    const t44_1 = ((1) * v38 * ((1) - R38 * (1))) ** 2
    const t45_0 = ((1) * v39 * ((0) - R39 * (1))) ** 2
    const t45_1 = ((1) * v39 * ((1) - R39 * (1))) ** 2
    const t46_0 = ((1) * v40 * ((0) - R40 * (1))) ** 2
    const t46_1 = ((1) * v40 * ((1) - R40 * (1))) ** 2
    for (let i = 0, b = 0; i < G; i++, b += 123) {
      const z0 = (ratioY[0 * G + i] - R0 * ratioX[0 * G + i]) * v0
      const z1 = (ratioY[1 * G + i] - R1 * ratioX[1 * G + i]) * v1
      const z2 = (ratioY[2 * G + i] - R2 * ratioX[2 * G + i]) * v2
      const z3 = (ratioY[3 * G + i] - R3 * ratioX[3 * G + i]) * v3
      const z4 = (ratioY[4 * G + i] - R4 * ratioX[4 * G + i]) * v4
      const z5 = (ratioY[5 * G + i] - R5 * ratioX[5 * G + i]) * v5
      const z6 = (ratioY[6 * G + i] - R6 * ratioX[6 * G + i]) * v6
      const z7 = (ratioY[7 * G + i] - R7 * ratioX[7 * G + i]) * v7
      const z8 = (ratioY[8 * G + i] - R8 * ratioX[8 * G + i]) * v8
      const z9 = (ratioY[9 * G + i] - R9 * ratioX[9 * G + i]) * v9
      const z10 = (ratioY[10 * G + i] - R10 * ratioX[10 * G + i]) * v10
      const z11 = (ratioY[11 * G + i] - R11 * ratioX[11 * G + i]) * v11
      const z12 = (ratioY[12 * G + i] - R12 * ratioX[12 * G + i]) * v12
      const z13 = (ratioY[13 * G + i] - R13 * ratioX[13 * G + i]) * v13
      const z14 = (ratioY[14 * G + i] - R14 * ratioX[14 * G + i]) * v14
      const z15 = (ratioY[15 * G + i] - R15 * ratioX[15 * G + i]) * v15
      const z16 = (ratioY[16 * G + i] - R16 * ratioX[16 * G + i]) * v16
      const z17 = (ratioY[17 * G + i] - R17 * ratioX[17 * G + i]) * v17
      const z18 = (ratioY[18 * G + i] - R18 * ratioX[18 * G + i]) * v18
      const z19 = (ratioY[19 * G + i] - R19 * ratioX[19 * G + i]) * v19
      const z20 = (ratioY[20 * G + i] - R20 * ratioX[20 * G + i]) * v20
      const z21 = (ratioY[21 * G + i] - R21 * ratioX[21 * G + i]) * v21
      const z22 = (ratioY[22 * G + i] - R22 * ratioX[22 * G + i]) * v22
      const z23 = (ratioY[23 * G + i] - R23 * ratioX[23 * G + i]) * v23
      const z24 = (ratioY[24 * G + i] - R24 * ratioX[24 * G + i]) * v24
      const z25 = (ratioY[25 * G + i] - R25 * ratioX[25 * G + i]) * v25
      const z26 = (ratioY[26 * G + i] - R26 * ratioX[26 * G + i]) * v26
      const z27 = (ratioY[27 * G + i] - R27 * ratioX[27 * G + i]) * v27
      const z28 = (ratioY[28 * G + i] - R28 * ratioX[28 * G + i]) * v28
      const z29 = (ratioY[29 * G + i] - R29 * ratioX[29 * G + i]) * v29
      const z30 = (ratioY[30 * G + i] - R30 * ratioX[30 * G + i]) * v30
      const z31 = (ratioY[31 * G + i] - R31 * ratioX[31 * G + i]) * v31
      const z32 = (ratioY[32 * G + i] - R32 * ratioX[32 * G + i]) * v32
      const z33 = (ratioY[33 * G + i] - R33 * ratioX[33 * G + i]) * v33
      const z34 = (ratioY[34 * G + i] - R34 * ratioX[34 * G + i]) * v34
      const z35 = (ratioY[35 * G + i] - R35 * ratioX[35 * G + i]) * v35
      const z36 = (ratioY[36 * G + i] - R36 * ratioX[36 * G + i]) * v36
      const z37 = (ratioY[37 * G + i] - R37 * ratioX[37 * G + i]) * v37
      const z38 = (ratioY[38 * G + i] - R38 * ratioX[38 * G + i]) * v38
      const z39 = (ratioY[39 * G + i] - R39 * ratioX[39 * G + i]) * v39
      const z40 = (ratioY[40 * G + i] - R40 * ratioX[40 * G + i]) * v40
      sumT[0 * G + i] = z0
      sumT2[0 * G + i] = t0_0 * sumW2[b + 1] + t0_1 * sumW2[b + 2]
      sumT[1 * G + i] = z1
      sumT2[1 * G + i] = t1_0 * sumW2[b + 4] + t1_1 * sumW2[b + 5]
      sumT[2 * G + i] = z2
      sumT2[2 * G + i] = t2_0 * sumW2[b + 7] + t2_1 * sumW2[b + 8]
      sumT[3 * G + i] = z3
      sumT2[3 * G + i] = t3_0 * sumW2[b + 10] + t3_1 * sumW2[b + 11]
      sumT[4 * G + i] = z4
      sumT2[4 * G + i] = t4_0 * sumW2[b + 13] + t4_1 * sumW2[b + 14]
      sumT[5 * G + i] = z5
      sumT2[5 * G + i] = t5_0 * sumW2[b + 16] + t5_1 * sumW2[b + 17]
      sumT[6 * G + i] = z6
      sumT2[6 * G + i] = t6_0 * sumW2[b + 19] + t6_1 * sumW2[b + 20]
      sumT[7 * G + i] = z7
      sumT2[7 * G + i] = t7_0 * sumW2[b + 22] + t7_1 * sumW2[b + 23]
      sumT[8 * G + i] = z8
      sumT2[8 * G + i] = t8_0 * sumW2[b + 25] + t8_1 * sumW2[b + 26]
      sumT[9 * G + i] = z9
      sumT2[9 * G + i] = t9_0 * sumW2[b + 28] + t9_1 * sumW2[b + 29]
      sumT[10 * G + i] = z10
      sumT2[10 * G + i] = t10_0 * sumW2[b + 31] + t10_1 * sumW2[b + 32]
      sumT[11 * G + i] = z11
      sumT2[11 * G + i] = t11_0 * sumW2[b + 34] + t11_1 * sumW2[b + 35]
      sumT[12 * G + i] = z12
      sumT2[12 * G + i] = t12_0 * sumW2[b + 37] + t12_1 * sumW2[b + 38]
      sumT[13 * G + i] = z13
      sumT2[13 * G + i] = t13_0 * sumW2[b + 40] + t13_1 * sumW2[b + 41]
      sumT[14 * G + i] = z14
      sumT2[14 * G + i] = t14_0 * sumW2[b + 43] + t14_1 * sumW2[b + 44]
      sumT[15 * G + i] = z15
      sumT2[15 * G + i] = t15_0 * sumW2[b + 46] + t15_1 * sumW2[b + 47]
      sumT[16 * G + i] = z16
      sumT2[16 * G + i] = t16_0 * sumW2[b + 49] + t16_1 * sumW2[b + 50]
      sumT[17 * G + i] = z17
      sumT2[17 * G + i] = t17_0 * sumW2[b + 52] + t17_1 * sumW2[b + 53]
      sumT[18 * G + i] = z18
      sumT2[18 * G + i] = t18_0 * sumW2[b + 55] + t18_1 * sumW2[b + 56]
      sumT[19 * G + i] = z19
      sumT2[19 * G + i] = t19_0 * sumW2[b + 58] + t19_1 * sumW2[b + 59]
      sumT[20 * G + i] = z20
      sumT2[20 * G + i] = t20_0 * sumW2[b + 61] + t20_1 * sumW2[b + 62]
      sumT[21 * G + i] = z21
      sumT2[21 * G + i] = t21_0 * sumW2[b + 64] + t21_1 * sumW2[b + 65]
      sumT[22 * G + i] = (0.25) * z0 + (0.25) * z1 + (0.25) * z2 + (0.25) * z3
      sumT[23 * G + i] = (0.2) * z4 + (0.2) * z5 + (0.2) * z6 + (0.2) * z7 + (0.2) * z8
      sumT[24 * G + i] = (0.16666666666666666) * z9 + (0.16666666666666666) * z10 + (0.16666666666666666) * z11 + (0.16666666666666666) * z12 + (0.16666666666666666) * z13 + (0.16666666666666666) * z14
      sumT[25 * G + i] = (0.3333333333333333) * z15 + (0.3333333333333333) * z16 + (0.3333333333333333) * z17
      sumT[26 * G + i] = (0.25) * z18 + (0.25) * z19 + (0.25) * z20 + (0.25) * z21
      sumT[27 * G + i] = (0.05) * z0 + (0.05) * z1 + (0.05) * z2 + (0.05) * z3 + (0.04) * z4 + (0.04) * z5 + (0.04) * z6 + (0.04) * z7 + (0.04) * z8 + (0.03333333333333333) * z9 + (0.03333333333333333) * z10 + (0.03333333333333333) * z11 + (0.03333333333333333) * z12 + (0.03333333333333333) * z13 + (0.03333333333333333) * z14 + (0.06666666666666667) * z15 + (0.06666666666666667) * z16 + (0.06666666666666667) * z17 + (0.05) * z18 + (0.05) * z19 + (0.05) * z20 + (0.05) * z21
      sumT[28 * G + i] = z22
      sumT2[28 * G + i] = t28_0 * sumW2[b + 67] + t28_1 * sumW2[b + 68]
      sumT[29 * G + i] = z23
      sumT2[29 * G + i] = t29_0 * sumW2[b + 70] + t29_1 * sumW2[b + 71]
      sumT[30 * G + i] = z24
      sumT2[30 * G + i] = t30_0 * sumW2[b + 73] + t30_1 * sumW2[b + 74]
      sumT[31 * G + i] = z25
      sumT2[31 * G + i] = t31_0 * sumW2[b + 76] + t31_1 * sumW2[b + 77]
      sumT[32 * G + i] = z26
      sumT2[32 * G + i] = t32_0 * sumW2[b + 79] + t32_1 * sumW2[b + 80]
      sumT[33 * G + i] = z27
      sumT2[33 * G + i] = t33_0 * sumW2[b + 82] + t33_1 * sumW2[b + 83]
      sumT[34 * G + i] = z28
      sumT2[34 * G + i] = t34_0 * sumW2[b + 85] + t34_1 * sumW2[b + 86]
      sumT[35 * G + i] = z29
      sumT2[35 * G + i] = t35_0 * sumW2[b + 88] + t35_1 * sumW2[b + 89]
      sumT[36 * G + i] = z30
      sumT2[36 * G + i] = t36_0 * sumW2[b + 91] + t36_1 * sumW2[b + 92]
      sumT[37 * G + i] = z31
      sumT2[37 * G + i] = t37_0 * sumW2[b + 94] + t37_1 * sumW2[b + 95]
      sumT[38 * G + i] = z32
      sumT2[38 * G + i] = t38_0 * sumW2[b + 97] + t38_1 * sumW2[b + 98]
      sumT[39 * G + i] = z33
      sumT2[39 * G + i] = t39_0 * sumW2[b + 99] + t39_1 * sumW2[b + 100]
      sumT[40 * G + i] = z34
      sumT2[40 * G + i] = t40_0 * sumW2[b + 102] + t40_1 * sumW2[b + 103]
      sumT[41 * G + i] = z35
      sumT2[41 * G + i] = t41_0 * sumW2[b + 105] + t41_1 * sumW2[b + 106]
      sumT[42 * G + i] = z36
      sumT2[42 * G + i] = t42_0 * sumW2[b + 108] + t42_1 * sumW2[b + 109]
      sumT[43 * G + i] = z37
      sumT2[43 * G + i] = t43_0 * sumW2[b + 111] + t43_1 * sumW2[b + 112]
      sumT[44 * G + i] = z38
      sumT2[44 * G + i] = t44_0 * sumW2[b + 114] + t44_1 * sumW2[b + 115]
      sumT[45 * G + i] = z39
      sumT2[45 * G + i] = t45_0 * sumW2[b + 117] + t45_1 * sumW2[b + 118]
      sumT[46 * G + i] = z40
      sumT2[46 * G + i] = t46_0 * sumW2[b + 120] + t46_1 * sumW2[b + 121]
    }
}

// pass two: Σ (w·t)² of every row-scored index over a cell's rows, one domain, the cell's weight applied after (rows.ts)
function (sums, values, table0, table1, codes, from, n, weight) {
'use strict'

    let a0_0 = 0, a0_1 = 0, a0_2 = 0, a0_3 = 0, a0_4 = 0, a0_5 = 0
    for (let i = 0, p = from * 16; i < n; i++, p += 16) {
      
      const c0 = 1 * codes[p + 0] + 27 * codes[p + 1]
      const c1 = 1 * codes[p + 2] + 27 * codes[p + 3]
      const c2 = 1 * codes[p + 4] + 27 * codes[p + 5]
      const c3 = 1 * codes[p + 6]
      const c4 = 1 * codes[p + 7] + 27 * codes[p + 8]
      const s0_0 = values[table0 + 0 + c0]
      const s0_1 = values[table0 + 81 + c1]
      const s0_2 = values[table0 + 324 + c2]
      const s0_3 = values[table0 + 1053 + c3]
      const s0_4 = values[table0 + 1080 + c4]
      const s0_5 = (0.2) * s0_3 + (0.2) * s0_0 + (0.2) * s0_4 + (0.19999999999999998) * s0_1 + (0.2) * s0_2
      a0_0 += s0_0 * s0_0
      a0_1 += s0_1 * s0_1
      a0_2 += s0_2 * s0_2
      a0_3 += s0_3 * s0_3
      a0_4 += s0_4 * s0_4
      a0_5 += s0_5 * s0_5
    }
    sums[0] = a0_0
    sums[1] = a0_1
    sums[2] = a0_2
    sums[3] = a0_3
    sums[4] = a0_4
    sums[5] = a0_5
}

// pass two: Σ (w·t)² of every row-scored index over a cell's rows, two domains at once, the cell's weight applied after (rows.ts)
function (sums, values, table0, table1, codes, from, n, weight) {
'use strict'

    let a0_0 = 0, a0_1 = 0, a0_2 = 0, a0_3 = 0, a0_4 = 0, a0_5 = 0, a1_0 = 0, a1_1 = 0, a1_2 = 0, a1_3 = 0, a1_4 = 0, a1_5 = 0
    for (let i = 0, p = from * 16; i < n; i++, p += 16) {
      
      const c0 = 1 * codes[p + 0] + 27 * codes[p + 1]
      const c1 = 1 * codes[p + 2] + 27 * codes[p + 3]
      const c2 = 1 * codes[p + 4] + 27 * codes[p + 5]
      const c3 = 1 * codes[p + 6]
      const c4 = 1 * codes[p + 7] + 27 * codes[p + 8]
      const s0_0 = values[table0 + 0 + c0]
      const s0_1 = values[table0 + 81 + c1]
      const s0_2 = values[table0 + 324 + c2]
      const s0_3 = values[table0 + 1053 + c3]
      const s0_4 = values[table0 + 1080 + c4]
      const s0_5 = (0.2) * s0_3 + (0.2) * s0_0 + (0.2) * s0_4 + (0.19999999999999998) * s0_1 + (0.2) * s0_2
      a0_0 += s0_0 * s0_0
      a0_1 += s0_1 * s0_1
      a0_2 += s0_2 * s0_2
      a0_3 += s0_3 * s0_3
      a0_4 += s0_4 * s0_4
      a0_5 += s0_5 * s0_5
      const s1_0 = values[table1 + 0 + c0]
      const s1_1 = values[table1 + 81 + c1]
      const s1_2 = values[table1 + 324 + c2]
      const s1_3 = values[table1 + 1053 + c3]
      const s1_4 = values[table1 + 1080 + c4]
      const s1_5 = (0.2) * s1_3 + (0.2) * s1_0 + (0.2) * s1_4 + (0.19999999999999998) * s1_1 + (0.2) * s1_2
      a1_0 += s1_0 * s1_0
      a1_1 += s1_1 * s1_1
      a1_2 += s1_2 * s1_2
      a1_3 += s1_3 * s1_3
      a1_4 += s1_4 * s1_4
      a1_5 += s1_5 * s1_5
    }
    sums[0] = a0_0
    sums[1] = a0_1
    sums[2] = a0_2
    sums[3] = a0_3
    sums[4] = a0_4
    sums[5] = a0_5
    sums[6] = a1_0
    sums[7] = a1_1
    sums[8] = a1_2
    sums[9] = a1_3
    sums[10] = a1_4
    sums[11] = a1_5
}

// pass two: Σ (w·t)² of every row-scored index over a cell's rows, one domain, rows of mixed weights (rows.ts)
function (sums, values, table0, table1, codes, from, n, weight) {
'use strict'

    let a0_0 = 0, a0_1 = 0, a0_2 = 0, a0_3 = 0, a0_4 = 0, a0_5 = 0
    for (let i = 0, p = from * 16; i < n; i++, p += 16) {
      const w2 = weight[from + i] * weight[from + i]
      const c0 = 1 * codes[p + 0] + 27 * codes[p + 1]
      const c1 = 1 * codes[p + 2] + 27 * codes[p + 3]
      const c2 = 1 * codes[p + 4] + 27 * codes[p + 5]
      const c3 = 1 * codes[p + 6]
      const c4 = 1 * codes[p + 7] + 27 * codes[p + 8]
      const s0_0 = values[table0 + 0 + c0]
      const s0_1 = values[table0 + 81 + c1]
      const s0_2 = values[table0 + 324 + c2]
      const s0_3 = values[table0 + 1053 + c3]
      const s0_4 = values[table0 + 1080 + c4]
      const s0_5 = (0.2) * s0_3 + (0.2) * s0_0 + (0.2) * s0_4 + (0.19999999999999998) * s0_1 + (0.2) * s0_2
      a0_0 += w2 * s0_0 * s0_0
      a0_1 += w2 * s0_1 * s0_1
      a0_2 += w2 * s0_2 * s0_2
      a0_3 += w2 * s0_3 * s0_3
      a0_4 += w2 * s0_4 * s0_4
      a0_5 += w2 * s0_5 * s0_5
    }
    sums[0] = a0_0
    sums[1] = a0_1
    sums[2] = a0_2
    sums[3] = a0_3
    sums[4] = a0_4
    sums[5] = a0_5
}

// pass two: Σ (w·t)² of every row-scored index over a cell's rows, two domains at once, rows of mixed weights (rows.ts)
function (sums, values, table0, table1, codes, from, n, weight) {
'use strict'

    let a0_0 = 0, a0_1 = 0, a0_2 = 0, a0_3 = 0, a0_4 = 0, a0_5 = 0, a1_0 = 0, a1_1 = 0, a1_2 = 0, a1_3 = 0, a1_4 = 0, a1_5 = 0
    for (let i = 0, p = from * 16; i < n; i++, p += 16) {
      const w2 = weight[from + i] * weight[from + i]
      const c0 = 1 * codes[p + 0] + 27 * codes[p + 1]
      const c1 = 1 * codes[p + 2] + 27 * codes[p + 3]
      const c2 = 1 * codes[p + 4] + 27 * codes[p + 5]
      const c3 = 1 * codes[p + 6]
      const c4 = 1 * codes[p + 7] + 27 * codes[p + 8]
      const s0_0 = values[table0 + 0 + c0]
      const s0_1 = values[table0 + 81 + c1]
      const s0_2 = values[table0 + 324 + c2]
      const s0_3 = values[table0 + 1053 + c3]
      const s0_4 = values[table0 + 1080 + c4]
      const s0_5 = (0.2) * s0_3 + (0.2) * s0_0 + (0.2) * s0_4 + (0.19999999999999998) * s0_1 + (0.2) * s0_2
      a0_0 += w2 * s0_0 * s0_0
      a0_1 += w2 * s0_1 * s0_1
      a0_2 += w2 * s0_2 * s0_2
      a0_3 += w2 * s0_3 * s0_3
      a0_4 += w2 * s0_4 * s0_4
      a0_5 += w2 * s0_5 * s0_5
      const s1_0 = values[table1 + 0 + c0]
      const s1_1 = values[table1 + 81 + c1]
      const s1_2 = values[table1 + 324 + c2]
      const s1_3 = values[table1 + 1053 + c3]
      const s1_4 = values[table1 + 1080 + c4]
      const s1_5 = (0.2) * s1_3 + (0.2) * s1_0 + (0.2) * s1_4 + (0.19999999999999998) * s1_1 + (0.2) * s1_2
      a1_0 += w2 * s1_0 * s1_0
      a1_1 += w2 * s1_1 * s1_1
      a1_2 += w2 * s1_2 * s1_2
      a1_3 += w2 * s1_3 * s1_3
      a1_4 += w2 * s1_4 * s1_4
      a1_5 += w2 * s1_5 * s1_5
    }
    sums[0] = a0_0
    sums[1] = a0_1
    sums[2] = a0_2
    sums[3] = a0_3
    sums[4] = a0_4
    sums[5] = a0_5
    sums[6] = a1_0
    sums[7] = a1_1
    sums[8] = a1_2
    sums[9] = a1_3
    sums[10] = a1_4
    sums[11] = a1_5
}

`
