import { simulatedCaseTests } from './rawStudyTruthTests.ts';

simulatedCaseTests('BraTS2021_00024');
