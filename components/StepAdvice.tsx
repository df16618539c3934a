import {Box, Text} from 'ink';
import {suggestCap} from '../src/cap-advice.js';
import {getIn, normalizeDraft, type DraftAnswers} from '../src/draft.js';
import {estimate} from '../src/estimate.js';
import {withPlaceholders} from '../src/preview.js';
import {partSchemasNow} from '../src/schemas.js';
import {truncate} from '../src/text-layout.js';
import {useTint} from './palette.js';

type Props = {
	readonly stepId: string;
	readonly draft: DraftAnswers;
	readonly width: number;
};

const round = (value: number) =>
	value >= 100 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));

/** The lines of advice a step shows above its fields: none, or two at most. */
export function adviceLines(stepId: string, draft: DraftAnswers): string[] {
	if (stepId === 'cap') {
		const answers = withPlaceholders(draft);
		const partitions = getIn(draft, ['cap', 'partitions']);
		const advice = suggestCap(
			answers.requirements,
			typeof partitions === 'string' ? partitions : undefined,
		);
		return [`Suggested from the requirements: ${advice.choice}`, ...advice.reasons.slice(0, 1)];
	}

	if (stepId === 'scalability') {
		// From the registry: this module is on the Start screen's path, zod is not.
		const figures = partSchemasNow().estimate.safeParse(
			getIn(normalizeDraft(draft), ['scalability', 'estimate']),
		);
		if (!figures.success) return [];
		const result = estimate(figures.data);
		const target =
			result.withinTarget === undefined
				? ''
				: result.withinTarget
					? ' (within target)'
					: ' (over target)';
		return [
			`Instances now ${result.instances.now}, at 10x ${result.instances.at10x}, at 100x ${result.instances.at100x} · peak ${round(result.peakRps)} req/s`,
			`Storage ${round(result.storageGb.afterOneYear)} GB after 1 year, ${round(result.storageGb.afterThreeYears)} GB after 3 · $${round(result.costPerUserMonth)}/user/month${target}`,
		];
	}

	return [];
}

/** The decision helpers of a step: the CAP suggestion, the capacity estimate's results. */
export function StepAdvice({stepId, draft, width}: Props) {
	const tint = useTint();
	const lines = adviceLines(stepId, draft);
	if (lines.length === 0) return null;
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				<Text key={index} color={tint('yellow')} wrap="truncate">
					{truncate(line, width)}
				</Text>
			))}
		</Box>
	);
}
