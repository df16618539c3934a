import {Text} from 'ink';

type Props = {
	readonly options: readonly string[];
	readonly value: string | undefined;
	readonly focus: boolean;
};

/** One of a few options; the screen changes it with Left and Right or an option's first letter. */
export function ChoiceField({options, value, focus}: Props) {
	const index = Math.max(0, options.indexOf(value ?? ''));
	if (options.length > 4) {
		const shown = options[index] ?? '';
		return (
			<Text>
				<Text dimColor>{focus ? '◀ ' : '  '}</Text>
				<Text inverse={focus}>{shown}</Text>
				<Text dimColor>{focus ? ` ▶  ${index + 1}/${options.length}` : ''}</Text>
			</Text>
		);
	}

	return (
		<Text>
			{options.map((option, at) => (
				<Text key={option}>
					{at > 0 ? '  ' : ''}
					<Text inverse={focus && at === index} bold={at === index && value !== undefined}>
						{(at === index && value !== undefined ? '● ' : '○ ') + option}
					</Text>
				</Text>
			))}
		</Text>
	);
}
