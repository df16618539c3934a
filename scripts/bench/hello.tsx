// The smallest Ink app, as a yardstick: one line of text, ended by any key.
import {render, Text, useApp, useInput} from 'ink';

function Hello() {
	const {exit} = useApp();
	useInput(() => exit());
	return <Text>hello from Ink</Text>;
}

render(<Hello />);
