// npm run gen:channels: writes shared/contract/names.ts from the contract (the preload imports the
// names alone). A test fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { contract } from '../shared/contract';
import { channelNamesSource } from '../shared/contract/names-source';

writeFileSync('shared/contract/names.ts', channelNamesSource(Object.keys(contract)));
console.log(`shared/contract/names.ts: ${Object.keys(contract).length} channels`);
