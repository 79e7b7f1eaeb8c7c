// Virtual console constants (strace's kd_*.in; values from linux/kd.h and linux/keyboard.h).
import { xlat } from './xlat.js';

export const KD_DEFAULT_LED_FLAGS = xlat([
  ['LED_SCR', 1], ['LED_NUM', 2], ['LED_CAP', 4], ['LED_SCR<<4', 0x10], ['LED_NUM<<4', 0x20],
  ['LED_CAP<<4', 0x40],
]);
export const KD_FONT_FLAGS = xlat([
  ['KD_FONT_FLAG_DONT_RECALC', 1], ['KD_FONT_FLAG_OLD', 0x80000000],
]);
export const KD_FONT_OPS = xlat([
  ['KD_FONT_OP_SET', 0], ['KD_FONT_OP_GET', 1], ['KD_FONT_OP_SET_DEFAULT', 2], ['KD_FONT_OP_COPY', 3],
]);
export const KD_KBD_MODES = xlat([
  ['K_RAW', 0], ['K_XLATE', 1], ['K_MEDIUMRAW', 2], ['K_UNICODE', 3], ['K_OFF', 4],
]);
export const KD_KBD_TYPES = xlat([
  ['KB_84', 1], ['KB_101', 2], ['KB_OTHER', 3],
]);
export const KD_KEY_ASCII_KEYS = xlat([
  ['K_ASC0', 0x900], ['K_ASC1', 0x901], ['K_ASC2', 0x902], ['K_ASC3', 0x903], ['K_ASC4', 0x904],
  ['K_ASC5', 0x905], ['K_ASC6', 0x906], ['K_ASC7', 0x907], ['K_ASC8', 0x908], ['K_ASC9', 0x909],
  ['K_HEX0', 0x90a], ['K_HEX1', 0x90b], ['K_HEX2', 0x90c], ['K_HEX3', 0x90d], ['K_HEX4', 0x90e],
  ['K_HEX5', 0x90f], ['K_HEX6', 0x910], ['K_HEX7', 0x911], ['K_HEX8', 0x912], ['K_HEX9', 0x913],
  ['K_HEXa', 0x914], ['K_HEXb', 0x915], ['K_HEXc', 0x916], ['K_HEXd', 0x917], ['K_HEXe', 0x918],
  ['K_HEXf', 0x919],
]);
export const KD_KEY_BRL_KEYS = xlat([
  ['K_BRL_BLANK', 0xe00], ['K_BRL_DOT1', 0xe01], ['K_BRL_DOT2', 0xe02], ['K_BRL_DOT3', 0xe03],
  ['K_BRL_DOT4', 0xe04], ['K_BRL_DOT5', 0xe05], ['K_BRL_DOT6', 0xe06], ['K_BRL_DOT7', 0xe07],
  ['K_BRL_DOT8', 0xe08], ['K_BRL_DOT9', 0xe09], ['K_BRL_DOT10', 0xe0a],
]);
export const KD_KEY_CUR_KEYS = xlat([
  ['K_DOWN', 0x600], ['K_LEFT', 0x601], ['K_RIGHT', 0x602], ['K_UP', 0x603],
]);
export const KD_KEY_DEAD_KEYS = xlat([
  ['K_DGRAVE', 0x400], ['K_DACUTE', 0x401], ['K_DCIRCM', 0x402], ['K_DTILDE', 0x403], ['K_DDIERE', 0x404],
  ['K_DCEDIL', 0x405], ['K_DMACRON', 0x406], ['K_DBREVE', 0x407], ['K_DABDOT', 0x408], ['K_DABRING', 0x409],
  ['K_DDBACUTE', 0x40a], ['K_DCARON', 0x40b], ['K_DOGONEK', 0x40c], ['K_DIOTA', 0x40d], ['K_DVOICED', 0x40e],
  ['K_DSEMVOICED', 0x40f], ['K_DBEDOT', 0x410], ['K_DHOOK', 0x411], ['K_DHORN', 0x412], ['K_DSTROKE', 0x413],
  ['K_DABCOMMA', 0x414], ['K_DABREVCOMMA', 0x415], ['K_DDBGRAVE', 0x416], ['K_DINVBREVE', 0x417],
  ['K_DBECOMMA', 0x418], ['K_DCURRENCY', 0x419], ['K_DGREEK', 0x41a],
]);
export const KD_KEY_FN_KEY_VALS = xlat([
  ['KVAL(K_F1)', 0], ['KVAL(K_F2)', 1], ['KVAL(K_F3)', 2], ['KVAL(K_F4)', 3], ['KVAL(K_F5)', 4],
  ['KVAL(K_F6)', 5], ['KVAL(K_F7)', 6], ['KVAL(K_F8)', 7], ['KVAL(K_F9)', 8], ['KVAL(K_F10)', 9],
  ['KVAL(K_F11)', 10], ['KVAL(K_F12)', 11], ['KVAL(K_F13)', 12], ['KVAL(K_F14)', 13], ['KVAL(K_F15)', 14],
  ['KVAL(K_F16)', 15], ['KVAL(K_F17)', 0x10], ['KVAL(K_F18)', 0x11], ['KVAL(K_F19)', 0x12],
  ['KVAL(K_F20)', 0x13], ['KVAL(K_FIND)', 0x14], ['KVAL(K_INSERT)', 0x15], ['KVAL(K_REMOVE)', 0x16],
  ['KVAL(K_SELECT)', 0x17], ['KVAL(K_PGUP)', 0x18], ['KVAL(K_PGDN)', 0x19], ['KVAL(K_MACRO)', 0x1a],
  ['KVAL(K_HELP)', 0x1b], ['KVAL(K_DO)', 0x1c], ['KVAL(K_PAUSE)', 0x1d], ['KVAL(K_F21)', 0x1e],
  ['KVAL(K_F22)', 0x1f], ['KVAL(K_F23)', 0x20], ['KVAL(K_F24)', 0x21], ['KVAL(K_F25)', 0x22],
  ['KVAL(K_F26)', 0x23], ['KVAL(K_F27)', 0x24], ['KVAL(K_F28)', 0x25], ['KVAL(K_F29)', 0x26],
  ['KVAL(K_F30)', 0x27], ['KVAL(K_F31)', 0x28], ['KVAL(K_F32)', 0x29], ['KVAL(K_F33)', 0x2a],
  ['KVAL(K_F34)', 0x2b], ['KVAL(K_F35)', 0x2c], ['KVAL(K_F36)', 0x2d], ['KVAL(K_F37)', 0x2e],
  ['KVAL(K_F38)', 0x2f], ['KVAL(K_F39)', 0x30], ['KVAL(K_F40)', 0x31], ['KVAL(K_F41)', 0x32],
  ['KVAL(K_F42)', 0x33], ['KVAL(K_F43)', 0x34], ['KVAL(K_F44)', 0x35], ['KVAL(K_F45)', 0x36],
  ['KVAL(K_F46)', 0x37], ['KVAL(K_F47)', 0x38], ['KVAL(K_F48)', 0x39], ['KVAL(K_F49)', 0x3a],
  ['KVAL(K_F50)', 0x3b], ['KVAL(K_F51)', 0x3c], ['KVAL(K_F52)', 0x3d], ['KVAL(K_F53)', 0x3e],
  ['KVAL(K_F54)', 0x3f], ['KVAL(K_F55)', 0x40], ['KVAL(K_F56)', 0x41], ['KVAL(K_F57)', 0x42],
  ['KVAL(K_F58)', 0x43], ['KVAL(K_F59)', 0x44], ['KVAL(K_F60)', 0x45], ['KVAL(K_F61)', 0x46],
  ['KVAL(K_F62)', 0x47], ['KVAL(K_F63)', 0x48], ['KVAL(K_F64)', 0x49], ['KVAL(K_F65)', 0x4a],
  ['KVAL(K_F66)', 0x4b], ['KVAL(K_F67)', 0x4c], ['KVAL(K_F68)', 0x4d], ['KVAL(K_F69)', 0x4e],
  ['KVAL(K_F70)', 0x4f], ['KVAL(K_F71)', 0x50], ['KVAL(K_F72)', 0x51], ['KVAL(K_F73)', 0x52],
  ['KVAL(K_F74)', 0x53], ['KVAL(K_F75)', 0x54], ['KVAL(K_F76)', 0x55], ['KVAL(K_F77)', 0x56],
  ['KVAL(K_F78)', 0x57], ['KVAL(K_F79)', 0x58], ['KVAL(K_F80)', 0x59], ['KVAL(K_F81)', 0x5a],
  ['KVAL(K_F82)', 0x5b], ['KVAL(K_F83)', 0x5c], ['KVAL(K_F84)', 0x5d], ['KVAL(K_F85)', 0x5e],
  ['KVAL(K_F86)', 0x5f], ['KVAL(K_F87)', 0x60], ['KVAL(K_F88)', 0x61], ['KVAL(K_F89)', 0x62],
  ['KVAL(K_F90)', 0x63], ['KVAL(K_F91)', 0x64], ['KVAL(K_F92)', 0x65], ['KVAL(K_F93)', 0x66],
  ['KVAL(K_F94)', 0x67], ['KVAL(K_F95)', 0x68], ['KVAL(K_F96)', 0x69], ['KVAL(K_F97)', 0x6a],
  ['KVAL(K_F98)', 0x6b], ['KVAL(K_F99)', 0x6c], ['KVAL(K_F100)', 0x6d], ['KVAL(K_F101)', 0x6e],
  ['KVAL(K_F102)', 0x6f], ['KVAL(K_F103)', 0x70], ['KVAL(K_F104)', 0x71], ['KVAL(K_F105)', 0x72],
  ['KVAL(K_F106)', 0x73], ['KVAL(K_F107)', 0x74], ['KVAL(K_F108)', 0x75], ['KVAL(K_F109)', 0x76],
  ['KVAL(K_F110)', 0x77], ['KVAL(K_F111)', 0x78], ['KVAL(K_F112)', 0x79], ['KVAL(K_F113)', 0x7a],
  ['KVAL(K_F114)', 0x7b], ['KVAL(K_F115)', 0x7c], ['KVAL(K_F116)', 0x7d], ['KVAL(K_F117)', 0x7e],
  ['KVAL(K_F118)', 0x7f], ['KVAL(K_F119)', 0x80], ['KVAL(K_F120)', 0x81], ['KVAL(K_F121)', 0x82],
  ['KVAL(K_F122)', 0x83], ['KVAL(K_F123)', 0x84], ['KVAL(K_F124)', 0x85], ['KVAL(K_F125)', 0x86],
  ['KVAL(K_F126)', 0x87], ['KVAL(K_F127)', 0x88], ['KVAL(K_F128)', 0x89], ['KVAL(K_F129)', 0x8a],
  ['KVAL(K_F130)', 0x8b], ['KVAL(K_F131)', 0x8c], ['KVAL(K_F132)', 0x8d], ['KVAL(K_F133)', 0x8e],
  ['KVAL(K_F134)', 0x8f], ['KVAL(K_F135)', 0x90], ['KVAL(K_F136)', 0x91], ['KVAL(K_F137)', 0x92],
  ['KVAL(K_F138)', 0x93], ['KVAL(K_F139)', 0x94], ['KVAL(K_F140)', 0x95], ['KVAL(K_F141)', 0x96],
  ['KVAL(K_F142)', 0x97], ['KVAL(K_F143)', 0x98], ['KVAL(K_F144)', 0x99], ['KVAL(K_F145)', 0x9a],
  ['KVAL(K_F146)', 0x9b], ['KVAL(K_F147)', 0x9c], ['KVAL(K_F148)', 0x9d], ['KVAL(K_F149)', 0x9e],
  ['KVAL(K_F150)', 0x9f], ['KVAL(K_F151)', 0xa0], ['KVAL(K_F152)', 0xa1], ['KVAL(K_F153)', 0xa2],
  ['KVAL(K_F154)', 0xa3], ['KVAL(K_F155)', 0xa4], ['KVAL(K_F156)', 0xa5], ['KVAL(K_F157)', 0xa6],
  ['KVAL(K_F158)', 0xa7], ['KVAL(K_F159)', 0xa8], ['KVAL(K_F160)', 0xa9], ['KVAL(K_F161)', 0xaa],
  ['KVAL(K_F162)', 0xab], ['KVAL(K_F163)', 0xac], ['KVAL(K_F164)', 0xad], ['KVAL(K_F165)', 0xae],
  ['KVAL(K_F166)', 0xaf], ['KVAL(K_F167)', 0xb0], ['KVAL(K_F168)', 0xb1], ['KVAL(K_F169)', 0xb2],
  ['KVAL(K_F170)', 0xb3], ['KVAL(K_F171)', 0xb4], ['KVAL(K_F172)', 0xb5], ['KVAL(K_F173)', 0xb6],
  ['KVAL(K_F174)', 0xb7], ['KVAL(K_F175)', 0xb8], ['KVAL(K_F176)', 0xb9], ['KVAL(K_F177)', 0xba],
  ['KVAL(K_F178)', 0xbb], ['KVAL(K_F179)', 0xbc], ['KVAL(K_F180)', 0xbd], ['KVAL(K_F181)', 0xbe],
  ['KVAL(K_F182)', 0xbf], ['KVAL(K_F183)', 0xc0], ['KVAL(K_F184)', 0xc1], ['KVAL(K_F185)', 0xc2],
  ['KVAL(K_F186)', 0xc3], ['KVAL(K_F187)', 0xc4], ['KVAL(K_F188)', 0xc5], ['KVAL(K_F189)', 0xc6],
  ['KVAL(K_F190)', 0xc7], ['KVAL(K_F191)', 0xc8], ['KVAL(K_F192)', 0xc9], ['KVAL(K_F193)', 0xca],
  ['KVAL(K_F194)', 0xcb], ['KVAL(K_F195)', 0xcc], ['KVAL(K_F196)', 0xcd], ['KVAL(K_F197)', 0xce],
  ['KVAL(K_F198)', 0xcf], ['KVAL(K_F199)', 0xd0], ['KVAL(K_F200)', 0xd1], ['KVAL(K_F201)', 0xd2],
  ['KVAL(K_F202)', 0xd3], ['KVAL(K_F203)', 0xd4], ['KVAL(K_F204)', 0xd5], ['KVAL(K_F205)', 0xd6],
  ['KVAL(K_F206)', 0xd7], ['KVAL(K_F207)', 0xd8], ['KVAL(K_F208)', 0xd9], ['KVAL(K_F209)', 0xda],
  ['KVAL(K_F210)', 0xdb], ['KVAL(K_F211)', 0xdc], ['KVAL(K_F212)', 0xdd], ['KVAL(K_F213)', 0xde],
  ['KVAL(K_F214)', 0xdf], ['KVAL(K_F215)', 0xe0], ['KVAL(K_F216)', 0xe1], ['KVAL(K_F217)', 0xe2],
  ['KVAL(K_F218)', 0xe3], ['KVAL(K_F219)', 0xe4], ['KVAL(K_F220)', 0xe5], ['KVAL(K_F221)', 0xe6],
  ['KVAL(K_F222)', 0xe7], ['KVAL(K_F223)', 0xe8], ['KVAL(K_F224)', 0xe9], ['KVAL(K_F225)', 0xea],
  ['KVAL(K_F226)', 0xeb], ['KVAL(K_F227)', 0xec], ['KVAL(K_F228)', 0xed], ['KVAL(K_F229)', 0xee],
  ['KVAL(K_F230)', 0xef], ['KVAL(K_F231)', 0xf0], ['KVAL(K_F232)', 0xf1], ['KVAL(K_F233)', 0xf2],
  ['KVAL(K_F234)', 0xf3], ['KVAL(K_F235)', 0xf4], ['KVAL(K_F236)', 0xf5], ['KVAL(K_F237)', 0xf6],
  ['KVAL(K_F238)', 0xf7], ['KVAL(K_F239)', 0xf8], ['KVAL(K_F240)', 0xf9], ['KVAL(K_F241)', 0xfa],
  ['KVAL(K_F242)', 0xfb], ['KVAL(K_F243)', 0xfc], ['KVAL(K_F244)', 0xfd], ['KVAL(K_F245)', 0xfe],
  ['KVAL(K_UNDO)', 0xff],
]);
export const KD_KEY_FN_KEYS = xlat([
  ['K_F1', 0x100], ['K_F2', 0x101], ['K_F3', 0x102], ['K_F4', 0x103], ['K_F5', 0x104], ['K_F6', 0x105],
  ['K_F7', 0x106], ['K_F8', 0x107], ['K_F9', 0x108], ['K_F10', 0x109], ['K_F11', 0x10a], ['K_F12', 0x10b],
  ['K_F13', 0x10c], ['K_F14', 0x10d], ['K_F15', 0x10e], ['K_F16', 0x10f], ['K_F17', 0x110], ['K_F18', 0x111],
  ['K_F19', 0x112], ['K_F20', 0x113], ['K_FIND', 0x114], ['K_INSERT', 0x115], ['K_REMOVE', 0x116],
  ['K_SELECT', 0x117], ['K_PGUP', 0x118], ['K_PGDN', 0x119], ['K_MACRO', 0x11a], ['K_HELP', 0x11b],
  ['K_DO', 0x11c], ['K_PAUSE', 0x11d], ['K_F21', 0x11e], ['K_F22', 0x11f], ['K_F23', 0x120],
  ['K_F24', 0x121], ['K_F25', 0x122], ['K_F26', 0x123], ['K_F27', 0x124], ['K_F28', 0x125], ['K_F29', 0x126],
  ['K_F30', 0x127], ['K_F31', 0x128], ['K_F32', 0x129], ['K_F33', 0x12a], ['K_F34', 0x12b], ['K_F35', 0x12c],
  ['K_F36', 0x12d], ['K_F37', 0x12e], ['K_F38', 0x12f], ['K_F39', 0x130], ['K_F40', 0x131], ['K_F41', 0x132],
  ['K_F42', 0x133], ['K_F43', 0x134], ['K_F44', 0x135], ['K_F45', 0x136], ['K_F46', 0x137], ['K_F47', 0x138],
  ['K_F48', 0x139], ['K_F49', 0x13a], ['K_F50', 0x13b], ['K_F51', 0x13c], ['K_F52', 0x13d], ['K_F53', 0x13e],
  ['K_F54', 0x13f], ['K_F55', 0x140], ['K_F56', 0x141], ['K_F57', 0x142], ['K_F58', 0x143], ['K_F59', 0x144],
  ['K_F60', 0x145], ['K_F61', 0x146], ['K_F62', 0x147], ['K_F63', 0x148], ['K_F64', 0x149], ['K_F65', 0x14a],
  ['K_F66', 0x14b], ['K_F67', 0x14c], ['K_F68', 0x14d], ['K_F69', 0x14e], ['K_F70', 0x14f], ['K_F71', 0x150],
  ['K_F72', 0x151], ['K_F73', 0x152], ['K_F74', 0x153], ['K_F75', 0x154], ['K_F76', 0x155], ['K_F77', 0x156],
  ['K_F78', 0x157], ['K_F79', 0x158], ['K_F80', 0x159], ['K_F81', 0x15a], ['K_F82', 0x15b], ['K_F83', 0x15c],
  ['K_F84', 0x15d], ['K_F85', 0x15e], ['K_F86', 0x15f], ['K_F87', 0x160], ['K_F88', 0x161], ['K_F89', 0x162],
  ['K_F90', 0x163], ['K_F91', 0x164], ['K_F92', 0x165], ['K_F93', 0x166], ['K_F94', 0x167], ['K_F95', 0x168],
  ['K_F96', 0x169], ['K_F97', 0x16a], ['K_F98', 0x16b], ['K_F99', 0x16c], ['K_F100', 0x16d],
  ['K_F101', 0x16e], ['K_F102', 0x16f], ['K_F103', 0x170], ['K_F104', 0x171], ['K_F105', 0x172],
  ['K_F106', 0x173], ['K_F107', 0x174], ['K_F108', 0x175], ['K_F109', 0x176], ['K_F110', 0x177],
  ['K_F111', 0x178], ['K_F112', 0x179], ['K_F113', 0x17a], ['K_F114', 0x17b], ['K_F115', 0x17c],
  ['K_F116', 0x17d], ['K_F117', 0x17e], ['K_F118', 0x17f], ['K_F119', 0x180], ['K_F120', 0x181],
  ['K_F121', 0x182], ['K_F122', 0x183], ['K_F123', 0x184], ['K_F124', 0x185], ['K_F125', 0x186],
  ['K_F126', 0x187], ['K_F127', 0x188], ['K_F128', 0x189], ['K_F129', 0x18a], ['K_F130', 0x18b],
  ['K_F131', 0x18c], ['K_F132', 0x18d], ['K_F133', 0x18e], ['K_F134', 0x18f], ['K_F135', 0x190],
  ['K_F136', 0x191], ['K_F137', 0x192], ['K_F138', 0x193], ['K_F139', 0x194], ['K_F140', 0x195],
  ['K_F141', 0x196], ['K_F142', 0x197], ['K_F143', 0x198], ['K_F144', 0x199], ['K_F145', 0x19a],
  ['K_F146', 0x19b], ['K_F147', 0x19c], ['K_F148', 0x19d], ['K_F149', 0x19e], ['K_F150', 0x19f],
  ['K_F151', 0x1a0], ['K_F152', 0x1a1], ['K_F153', 0x1a2], ['K_F154', 0x1a3], ['K_F155', 0x1a4],
  ['K_F156', 0x1a5], ['K_F157', 0x1a6], ['K_F158', 0x1a7], ['K_F159', 0x1a8], ['K_F160', 0x1a9],
  ['K_F161', 0x1aa], ['K_F162', 0x1ab], ['K_F163', 0x1ac], ['K_F164', 0x1ad], ['K_F165', 0x1ae],
  ['K_F166', 0x1af], ['K_F167', 0x1b0], ['K_F168', 0x1b1], ['K_F169', 0x1b2], ['K_F170', 0x1b3],
  ['K_F171', 0x1b4], ['K_F172', 0x1b5], ['K_F173', 0x1b6], ['K_F174', 0x1b7], ['K_F175', 0x1b8],
  ['K_F176', 0x1b9], ['K_F177', 0x1ba], ['K_F178', 0x1bb], ['K_F179', 0x1bc], ['K_F180', 0x1bd],
  ['K_F181', 0x1be], ['K_F182', 0x1bf], ['K_F183', 0x1c0], ['K_F184', 0x1c1], ['K_F185', 0x1c2],
  ['K_F186', 0x1c3], ['K_F187', 0x1c4], ['K_F188', 0x1c5], ['K_F189', 0x1c6], ['K_F190', 0x1c7],
  ['K_F191', 0x1c8], ['K_F192', 0x1c9], ['K_F193', 0x1ca], ['K_F194', 0x1cb], ['K_F195', 0x1cc],
  ['K_F196', 0x1cd], ['K_F197', 0x1ce], ['K_F198', 0x1cf], ['K_F199', 0x1d0], ['K_F200', 0x1d1],
  ['K_F201', 0x1d2], ['K_F202', 0x1d3], ['K_F203', 0x1d4], ['K_F204', 0x1d5], ['K_F205', 0x1d6],
  ['K_F206', 0x1d7], ['K_F207', 0x1d8], ['K_F208', 0x1d9], ['K_F209', 0x1da], ['K_F210', 0x1db],
  ['K_F211', 0x1dc], ['K_F212', 0x1dd], ['K_F213', 0x1de], ['K_F214', 0x1df], ['K_F215', 0x1e0],
  ['K_F216', 0x1e1], ['K_F217', 0x1e2], ['K_F218', 0x1e3], ['K_F219', 0x1e4], ['K_F220', 0x1e5],
  ['K_F221', 0x1e6], ['K_F222', 0x1e7], ['K_F223', 0x1e8], ['K_F224', 0x1e9], ['K_F225', 0x1ea],
  ['K_F226', 0x1eb], ['K_F227', 0x1ec], ['K_F228', 0x1ed], ['K_F229', 0x1ee], ['K_F230', 0x1ef],
  ['K_F231', 0x1f0], ['K_F232', 0x1f1], ['K_F233', 0x1f2], ['K_F234', 0x1f3], ['K_F235', 0x1f4],
  ['K_F236', 0x1f5], ['K_F237', 0x1f6], ['K_F238', 0x1f7], ['K_F239', 0x1f8], ['K_F240', 0x1f9],
  ['K_F241', 0x1fa], ['K_F242', 0x1fb], ['K_F243', 0x1fc], ['K_F244', 0x1fd], ['K_F245', 0x1fe],
  ['K_UNDO', 0x1ff],
]);
export const KD_KEY_LOCK_KEYS = xlat([
  ['K_SHIFTLOCK', 0xa00], ['K_ALTGRLOCK', 0xa01], ['K_CTRLLOCK', 0xa02], ['K_ALTLOCK', 0xa03],
  ['K_SHIFTLLOCK', 0xa04], ['K_SHIFTRLOCK', 0xa05], ['K_CTRLLLOCK', 0xa06], ['K_CTRLRLOCK', 0xa07],
  ['K_CAPSSHIFTLOCK', 0xa08],
]);
export const KD_KEY_PAD_KEYS = xlat([
  ['K_P0', 0x300], ['K_P1', 0x301], ['K_P2', 0x302], ['K_P3', 0x303], ['K_P4', 0x304], ['K_P5', 0x305],
  ['K_P6', 0x306], ['K_P7', 0x307], ['K_P8', 0x308], ['K_P9', 0x309], ['K_PPLUS', 0x30a],
  ['K_PMINUS', 0x30b], ['K_PSTAR', 0x30c], ['K_PSLASH', 0x30d], ['K_PENTER', 0x30e], ['K_PCOMMA', 0x30f],
  ['K_PDOT', 0x310], ['K_PPLUSMINUS', 0x311], ['K_PPARENL', 0x312], ['K_PPARENR', 0x313],
]);
export const KD_KEY_SHIFT_KEYS = xlat([
  ['K_SHIFT', 0x700], ['K_ALTGR', 0x701], ['K_CTRL', 0x702], ['K_ALT', 0x703], ['K_SHIFTL', 0x704],
  ['K_SHIFTR', 0x705], ['K_CTRLL', 0x706], ['K_CTRLR', 0x707], ['K_CAPSSHIFT', 0x708],
]);
export const KD_KEY_SLOCK_KEYS = xlat([
  ['K_SHIFT_SLOCK', 0xc00], ['K_ALTGR_SLOCK', 0xc01], ['K_CTRL_SLOCK', 0xc02], ['K_ALT_SLOCK', 0xc03],
  ['K_SHIFTL_SLOCK', 0xc04], ['K_SHIFTR_SLOCK', 0xc05], ['K_CTRLL_SLOCK', 0xc06], ['K_CTRLR_SLOCK', 0xc07],
  ['K_CAPSSHIFT_SLOCK', 0xc08],
]);
export const KD_KEY_SPEC_KEYS = xlat([
  ['K_HOLE', 0x200], ['K_ENTER', 0x201], ['K_SH_REGS', 0x202], ['K_SH_MEM', 0x203], ['K_SH_STAT', 0x204],
  ['K_BREAK', 0x205], ['K_CONS', 0x206], ['K_CAPS', 0x207], ['K_NUM', 0x208], ['K_HOLD', 0x209],
  ['K_SCROLLFORW', 0x20a], ['K_SCROLLBACK', 0x20b], ['K_BOOT', 0x20c], ['K_CAPSON', 0x20d],
  ['K_COMPOSE', 0x20e], ['K_SAK', 0x20f], ['K_DECRCONSOLE', 0x210], ['K_INCRCONSOLE', 0x211],
  ['K_SPAWNCONSOLE', 0x212], ['K_BARENUMLOCK', 0x213], ['K_ALLOCATED', 0x27e], ['K_NOSUCHMAP', 0x27f],
]);
export const KD_KEY_TABLES = xlat([
  ['K_NORMTAB', 0], ['K_SHIFTTAB', 1], ['K_ALTTAB', 2], ['K_ALTSHIFTTAB', 3],
]);
export const KD_KEY_TYPES = xlat([
  ['KT_LATIN', 0], ['KT_FN', 1], ['KT_SPEC', 2], ['KT_PAD', 3], ['KT_DEAD', 4], ['KT_CONS', 5],
  ['KT_CUR', 6], ['KT_SHIFT', 7], ['KT_META', 8], ['KT_ASCII', 9], ['KT_LOCK', 10], ['KT_LETTER', 11],
  ['KT_SLOCK', 12], ['KT_DEAD2', 13], ['KT_BRL', 14],
]);
export const KD_KEYMAP_FLAGS = xlat([
  ['1<<KG_SHIFT', 1], ['1<<KG_ALTGR', 2], ['1<<KG_CTRL', 4], ['1<<KG_ALT', 8], ['1<<KG_SHIFTL', 0x10],
  ['1<<KG_SHIFTR', 0x20], ['1<<KG_CTRLL', 0x40], ['1<<KG_CTRLR', 0x80],
]);
export const KD_LED_FLAGS = xlat([
  ['LED_SCR', 1], ['LED_NUM', 2], ['LED_CAP', 4],
]);
export const KD_META_VALS = xlat([
  ['K_METABIT', 3], ['K_ESCPREFIX', 4],
]);
export const KD_MODES = xlat([
  ['KD_TEXT', 0], ['KD_GRAPHICS', 1], ['KD_TEXT0', 2], ['KD_TEXT1', 3],
]);
